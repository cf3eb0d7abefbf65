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
    /** Further fields of a problem+json body (such as `authMode` on a 401), or the Kubernetes Status. */
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
    // The whole Status rides along: its details (causes: a PDB's refusal, apply conflicts) matter.
    return new ApiError(status, parsed.message || parsed.reason || statusText, parsed.reason, undefined, parsed);
  }
  if (parsed && (parsed.detail || parsed.title)) {
    const code = typeof parsed.code === 'string' ? parsed.code : undefined;
    return new ApiError(status, parsed.detail || parsed.title || statusText, code, parsed.requestId, parsed);
  }
  const text = body.trim();
  return new ApiError(status, text && text.length < 300 ? text : `${status} ${statusText}`.trim());
}

/** The `details.causes` of a Kubernetes Status error (a PDB's refusal of an eviction, apply conflicts...). */
export function statusCauses(error: unknown): { reason?: string; message?: string; field?: string }[] {
  if (!(error instanceof ApiError)) return [];
  const details = error.extra.details as { causes?: { reason?: string; message?: string; field?: string }[] } | undefined;
  return details?.causes ?? [];
}
