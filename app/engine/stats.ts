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

/** the q-quantile (0 ≤ q ≤ 1) by linear interpolation between order statistics (NumPy's default) */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('quantile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/**
 * Kendall's τ-b of paired values (ties in either variable accounted for, as scipy.stats.kendalltau);
 * null when undefined (< 2 pairs, or one variable constant). O(n²): for the few hundred pairs it
 * ranks here.
 */
export function kendallTau(xs: readonly number[], ys: readonly number[]): number | null {
  if (xs.length !== ys.length) throw new RangeError(`kendallTau: ${xs.length} x values but ${ys.length} y values`);
  let concordant = 0;
  let discordant = 0;
  let tiesX = 0;
  let tiesY = 0;
  for (let i = 0; i < xs.length; i++) {
    for (let j = i + 1; j < xs.length; j++) {
      const dx = Math.sign(xs[i] - xs[j]);
      const dy = Math.sign(ys[i] - ys[j]);
      if (dx === 0 && dy === 0) continue;
      if (dx === 0) tiesX++;
      else if (dy === 0) tiesY++;
      else if (dx === dy) concordant++;
      else discordant++;
    }
  }
  const n1 = concordant + discordant + tiesX;
  const n2 = concordant + discordant + tiesY;
  return n1 > 0 && n2 > 0 ? (concordant - discordant) / Math.sqrt(n1 * n2) : null;
}

/** mean absolute percentage error of predictions against measurements, in percent */
export function meanAbsolutePercentageError(predicted: readonly number[], measured: readonly number[]): number {
  if (predicted.length !== measured.length || measured.length === 0) throw new RangeError(`MAPE: ${predicted.length} predictions for ${measured.length} measurements`);
  let sum = 0;
  for (let i = 0; i < measured.length; i++) sum += Math.abs(predicted[i] - measured[i]) / Math.abs(measured[i]);
  return (100 * sum) / measured.length;
}
