/** Small statistics shared by the scores, the measured entropy, the charts and the validation of the proxies. */

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
export function pearson(xs: Numbers, ys: Numbers): number | null {
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
 * A copy of values as doubles for the rank statistics. NaN is refused: it has no rank (scipy returns
 * nan), and in a bootstrap it would silently drop the resamples that drew it.
 */
function rankable(name: string, values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) throw new RangeError(`${name}: NaN at index ${i} has no rank`);
    out[i] = values[i];
  }
  return out;
}

/** the sorts below insertion-sort runs of this length, then merge them bottom-up */
const RUN = 16;

/**
 * Sorts the pairs (x[i], y[i]) by x, then by y, in place; `bx` and `by` are scratch of the same
 * length. A merge sort of its own: a comparator sort would call back per comparison, and V8's
 * typed-array sort copies, so this is the fast path of a bootstrap's thousand resamples.
 */
function sortPairs(x: Float64Array, y: Float64Array, bx: Float64Array, by: Float64Array): void {
  const n = x.length;
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = Math.min(lo + RUN, n);
    for (let i = lo + 1; i < hi; i++) {
      const xi = x[i];
      const yi = y[i];
      let j = i - 1;
      for (; j >= lo && (x[j] > xi || (x[j] === xi && y[j] > yi)); j--) {
        x[j + 1] = x[j];
        y[j + 1] = y[j];
      }
      x[j + 1] = xi;
      y[j + 1] = yi;
    }
  }
  let [sx, sy, dx, dy] = [x, y, bx, by];
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (sx[i] < sx[j] || (sx[i] === sx[j] && sy[i] <= sy[j])) {
          dx[k] = sx[i];
          dy[k++] = sy[i++];
        } else {
          dx[k] = sx[j];
          dy[k++] = sy[j++];
        }
      }
      for (; i < mid; i++, k++) {
        dx[k] = sx[i];
        dy[k] = sy[i];
      }
      for (; j < hi; j++, k++) {
        dx[k] = sx[j];
        dy[k] = sy[j];
      }
    }
    [sx, sy, dx, dy] = [dx, dy, sx, sy];
  }
  if (sx !== x) {
    x.set(sx);
    y.set(sy);
  }
}

/**
 * Sorts values in place (`buffer`: scratch of the same length) and returns how many inversions it
 * undid: pairs i < j with values[i] > values[j], equal values not counted. Integer count, exact
 * while below 2^53 (n(n − 1)/2 is, for any n an array can hold here).
 */
function sortCountingInversions(values: Float64Array, buffer: Float64Array): number {
  const n = values.length;
  let inversions = 0;
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = Math.min(lo + RUN, n);
    for (let i = lo + 1; i < hi; i++) {
      const v = values[i];
      let j = i - 1;
      for (; j >= lo && values[j] > v; j--) values[j + 1] = values[j];
      inversions += i - 1 - j;
      values[j + 1] = v;
    }
  }
  let [src, dst] = [values, buffer];
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (src[i] <= src[j]) dst[k++] = src[i++];
        else {
          inversions += mid - i; // src[j] precedes every left value still waiting, all greater
          dst[k++] = src[j++];
        }
      }
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    [src, dst] = [dst, src];
  }
  if (src !== values) values.set(src);
  return inversions;
}

/** pairs tied in a sorted array: Σ c(c − 1)/2 over its runs of c equal values */
function tiedPairs(sorted: Float64Array): number {
  let pairs = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    pairs += ((j - i) * (j - i - 1)) / 2;
    i = j;
  }
  return pairs;
}

/**
 * Kendall's τ-b of paired values (ties in either variable accounted for, as scipy.stats.kendalltau);
 * null when undefined (< 2 pairs, or one variable constant); NaN is refused. Knight's O(n log n)
 * algorithm, so that a bootstrap over thousands of networks stays fast: sort the pairs by x then
 * y; the discordant pairs are then the inversions of the y sequence, counted by merge sort; ties
 * come from runs of equal values. All counts are exact integers.
 */
export function kendallTau(xs: ArrayLike<number>, ys: ArrayLike<number>): number | null {
  if (xs.length !== ys.length) throw new RangeError(`kendallTau: ${xs.length} x values but ${ys.length} y values`);
  const n = xs.length;
  const x = rankable('kendallTau', xs);
  const y = rankable('kendallTau', ys);
  const bx = new Float64Array(n);
  const by = new Float64Array(n);
  sortPairs(x, y, bx, by);
  const tiedX = tiedPairs(x);
  let tiedBoth = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && x[j] === x[i] && y[j] === y[i]) j++;
    tiedBoth += ((j - i) * (j - i - 1)) / 2;
    i = j;
  }
  const discordant = sortCountingInversions(y, bx);
  const tiedY = tiedPairs(y);
  const pairs = (n * (n - 1)) / 2;
  // the pairs not tied in x, and those not tied in y: τ-b's denominator is their geometric mean
  const untiedX = pairs - tiedX;
  const untiedY = pairs - tiedY;
  if (untiedX === 0 || untiedY === 0) return null;
  const concordantMinusDiscordant = pairs - tiedX - tiedY + tiedBoth - 2 * discordant;
  return concordantMinusDiscordant / Math.sqrt(untiedX * untiedY);
}

/** the 1-based ranks of values, tied values sharing the mean of their ranks (scipy.stats.rankdata's 'average'); NaN is refused */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const sorted = rankable('averageRanks', values);
  // each value sorted with its index as the tie-break, so the ranks can be written back in place
  const index = new Float64Array(n);
  for (let i = 0; i < n; i++) index[i] = i;
  sortPairs(sorted, index, new Float64Array(n), new Float64Array(n));
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && sorted[j] === sorted[i]) j++;
    const rank = (i + 1 + j) / 2; // the mean of ranks i + 1 … j
    for (let k = i; k < j; k++) ranks[index[k]] = rank;
    i = j;
  }
  return ranks;
}

/** Spearman's ρ of paired values, as scipy.stats.spearmanr: Pearson's r of their average ranks; null when undefined */
export function spearman(xs: ArrayLike<number>, ys: ArrayLike<number>): number | null {
  if (xs.length !== ys.length) throw new RangeError(`spearman: ${xs.length} x values but ${ys.length} y values`);
  return pearson(averageRanks(xs), averageRanks(ys));
}

/**
 * Percentile bootstrap interval of a statistic of n paired observations: `resamples` times, n
 * indices drawn with replacement from `rng` (so the same seed gives the same interval), the
 * statistic computed on them (resamples where it is undefined, null, are left out), and the
 * (1 − level)/2 and (1 + level)/2 quantiles of the results, NumPy's linear ones. Null when no
 * resample gave a value. Each resample has its own index array, so a statistic may keep it.
 */
export function bootstrapInterval(
  n: number,
  statistic: (indices: Int32Array) => number | null,
  options: BootstrapSettings,
): { low: number; high: number } | null {
  return runToEnd(bootstrapSteps(n, statistic, options));
}

interface BootstrapSettings {
  resamples: number;
  level?: number;
  rng: { int(n: number): number };
}

/** a stepwise computation's result, run without pauses */
export function runToEnd<T>(steps: Generator<number, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** resamples between the pauses of `bootstrapSteps` */
const RESAMPLES_PER_STEP = 25;

/**
 * `bootstrapInterval` as steps: it yields the resamples done every RESAMPLES_PER_STEP, so a host
 * can let messages in (a worker's Cancel) between them; the same draws, the same interval.
 */
export function* bootstrapSteps(n: number, statistic: (indices: Int32Array) => number | null, options: BootstrapSettings): Generator<number, { low: number; high: number } | null> {
  const { resamples, level = 0.95, rng } = options;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`bootstrapInterval: n = ${n}, expected a positive integer`);
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`bootstrapInterval: ${resamples} resamples, expected a positive integer`);
  if (!(level > 0 && level < 1)) throw new RangeError(`bootstrapInterval: level ${level}, expected one in (0, 1)`);
  const values: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const indices = new Int32Array(n);
    for (let i = 0; i < n; i++) indices[i] = rng.int(n);
    const value = statistic(indices);
    if (value !== null) values.push(value);
    if ((r + 1) % RESAMPLES_PER_STEP === 0) yield r + 1;
  }
  if (values.length === 0) return null;
  return { low: quantile(values, (1 - level) / 2), high: quantile(values, (1 + level) / 2) };
}

/** mean absolute percentage error of predictions against measurements, in percent */
export function meanAbsolutePercentageError(predicted: readonly number[], measured: readonly number[]): number {
  if (predicted.length !== measured.length || measured.length === 0) throw new RangeError(`MAPE: ${predicted.length} predictions for ${measured.length} measurements`);
  let sum = 0;
  for (let i = 0; i < measured.length; i++) sum += Math.abs(predicted[i] - measured[i]) / Math.abs(measured[i]);
  return (100 * sum) / measured.length;
}
