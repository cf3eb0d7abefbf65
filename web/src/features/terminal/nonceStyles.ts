/**
 * Runs `body` while every `<style>` element that `document.createElement` hands out carries
 * `nonce` (set before insertion, as CSP requires). xterm.js injects its theme and dimension
 * styles during `open()` and accepts no nonce of its own, so its open is wrapped in this.
 */
export function withStyleNonce<T>(nonce: string, body: () => T): T {
  if (!nonce) return body();
  const original = document.createElement;
  document.createElement = function createElement(this: Document, tagName: string, options?: ElementCreationOptions) {
    const element = original.call(this, tagName, options);
    if (element instanceof HTMLStyleElement) element.setAttribute('nonce', nonce);
    return element;
  } as typeof document.createElement;
  try {
    return body();
  } finally {
    document.createElement = original;
  }
}
