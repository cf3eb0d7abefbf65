import { describe, expect, it } from 'vitest';
import { formatBytes, formatCpu, parseQuantity } from './quantity';

describe('quantity', () => {
  it('parseQuantity_SuffixesAndExponents', () => {
    expect(parseQuantity('250m')).toBeCloseTo(0.25);
    expect(parseQuantity('8')).toBe(8);
    expect(parseQuantity('1.5Gi')).toBe(1.5 * 2 ** 30);
    expect(parseQuantity('16318560Ki')).toBe(16318560 * 1024);
    expect(parseQuantity('2e3')).toBe(2000);
    expect(parseQuantity('1M')).toBe(1e6);
    expect(parseQuantity('100u')).toBeCloseTo(1e-4);
    expect(parseQuantity('lots')).toBeNaN();
    expect(parseQuantity(undefined)).toBeNaN();
  });

  it('format_AsKubectlDescribe', () => {
    expect(formatCpu(0.25)).toBe('250m');
    expect(formatCpu(1.5)).toBe('1.5');
    expect(formatCpu(0)).toBe('0');
    expect(formatBytes(128 * 2 ** 20)).toBe('128Mi');
    expect(formatBytes(16318560 * 1024)).toBe('15.6Gi');
    expect(formatBytes(512)).toBe('512');
  });
});
