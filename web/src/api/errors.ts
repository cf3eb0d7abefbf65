/**
 * A failed HTTP call, with the message a person should read: Porthole's problem+json
 * (`detail`, `code`, `requestId`) or a Kubernetes Status (`message`, `reason`).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly requestId?: string,
    /** Further fields of a problem+json body (such as `authMode` on a 401). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorBody {
  kind?: string;
  message?: string;
  reason?: string;
  title?: string;
  detail?: string;
  code?: string | number;
  requestId?: string;
  [field: string]: unknown;
}

/** Builds the ApiError for a non-2xx response from its body (JSON or text). */
export function errorFrom(status: number, statusText: string, body: string): ApiError {
  let parsed: ErrorBody | null = null;
  try {
    parsed = JSON.parse(body) as ErrorBody;
  } catch {
    parsed = null;
  }
  if (parsed?.kind === 'Status') {
    return new ApiError(status, parsed.message || parsed.reason || statusText, parsed.reason);
  }
  if (parsed && (parsed.detail || parsed.title)) {
    const code = typeof parsed.code === 'string' ? parsed.code : undefined;
    return new ApiError(status, parsed.detail || parsed.title || statusText, code, parsed.requestId, parsed);
  }
  const text = body.trim();
  return new ApiError(status, text && text.length < 300 ? text : `${status} ${statusText}`.trim());
}
