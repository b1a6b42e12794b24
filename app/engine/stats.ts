/** Small statistics shared by the scores, the measured entropy and the charts. */

/** numbers as the engine holds them: arrays, or the Float32Array outputs of a runtime */
type Numbers = ArrayLike<number> & Iterable<number>;

export function mean(values: Numbers): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** sample standard deviation (n − 1); 0 for fewer than two values */
export function sampleStd(values: Numbers): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  let sum = 0;
  for (const v of values) sum += (v - m) * (v - m);
  return Math.sqrt(sum / (values.length - 1));
}

/** Pearson's correlation coefficient of paired values; null when undefined (< 2 pairs or no spread) */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  if (xs.length !== ys.length) throw new RangeError(`pearson: ${xs.length} x values but ${ys.length} y values`);
  if (xs.length < 2) return null;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
}
