/**
 * The per-response CSP nonce the server writes into `<meta name="csp-nonce">`. Libraries that
 * inject <style> elements (CodeMirror) must be given it; empty under `vite` dev serving.
 */
export function cspNonce(): string {
  const value = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? '';
  return value.startsWith('%') ? '' : value;
}
