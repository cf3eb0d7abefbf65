/** Kubernetes resource quantities ("250m", "1.5Gi", "2e3", "128974848") as plain numbers and back. */

const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The value of a quantity (cores for CPU, bytes for memory), or NaN when it is not one. */
export function parseQuantity(text: string | undefined): number {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec((text ?? '').trim());
  if (!m) return Number.NaN;
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  const suffix = m[3] ?? '';
  return base * (binary[suffix] ?? decimal[suffix]);
}

const trim = (n: number, digits: number) => String(Number(n.toFixed(digits)));

/** CPU as kubectl describe prints it: millicores under one core ("250m"), else cores ("1.5"). */
export function formatCpu(cores: number): string {
  if (!Number.isFinite(cores)) return '';
  return cores !== 0 && cores < 1 ? `${Math.round(cores * 1000)}m` : trim(cores, 3);
}

/** Bytes in the largest binary unit that keeps a number of at least 1 ("512Mi", "15.6Gi"). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '';
  const units: [string, number][] = [['Ei', 2 ** 60], ['Pi', 2 ** 50], ['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]];
  for (const [unit, size] of units) if (Math.abs(bytes) >= size) return `${trim(bytes / size, 1)}${unit}`;
  return trim(bytes, 0);
}
