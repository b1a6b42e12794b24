/**
 * Numbers with units as people write them: "18.8 G", "25.55M", "188e8", "4,100,000,000".
 * Returns null for anything else (the caller says what was expected).
 */
/** powers of ten: applied to the decimal text, so "4.1 G" is exactly 4100000000 (4.1 × 1e9 is not) */
const EXPONENT: Record<string, number> = { '': 0, k: 3, K: 3, m: 6, M: 6, g: 9, G: 9, t: 12, T: 12 };

export function parseWithUnit(text: string): number | null {
  const m = /^\s*([0-9][0-9,_]*(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+)\s*([kKmMgGtT]?)(?:flops|FLOPs|FLOPS|params)?\s*$/.exec(text);
  if (!m) return null;
  const [mantissa, exponent = '0'] = m[1].replace(/[,_]/g, '').split(/[eE]/);
  const value = Number(`${mantissa}e${Number(exponent) + EXPONENT[m[2]]}`);
  return Number.isFinite(value) ? value : null;
}

/** 18.8 G, 25.55 M, 91 — the short form a person reads back (`digits` significant digits). */
export function formatWithUnit(value: number, digits = 6): string {
  const abs = Math.abs(value);
  const [scale, unit] = abs >= 1e9 ? [1e9, ' G'] : abs >= 1e6 ? [1e6, ' M'] : abs >= 1e4 ? [1e3, ' k'] : [1, ''];
  return `${Number((value / scale).toPrecision(digits))}${unit}`;
}
