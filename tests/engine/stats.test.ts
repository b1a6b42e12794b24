// Rank statistics (engine/stats): Kendall's τ-b by Knight's algorithm and Spearman's ρ against
// their O(n²) definitions, values scipy gives, and the seeded percentile bootstrap.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../app/engine/rng';
import { averageRanks, bootstrapInterval, kendallTau, spearman } from '../../app/engine/stats';

/** −1, 0, 1 by comparison (not a − b: ∞ − ∞ is NaN), −0 equal to 0 */
const compare = (a: number, b: number) => (a < b ? -1 : a > b ? 1 : 0);

/** τ-b by its definition: every pair classified; null when a variable has no untied pair */
function bruteKendall(xs: readonly number[], ys: readonly number[]): number | null {
  let concordant = 0;
  let discordant = 0;
  let tiedXOnly = 0;
  let tiedYOnly = 0;
  for (let i = 0; i < xs.length; i++) {
    for (let j = i + 1; j < xs.length; j++) {
      const dx = compare(xs[i], xs[j]);
      const dy = compare(ys[i], ys[j]);
      if (dx === 0 && dy === 0) continue;
      if (dx === 0) tiedXOnly++;
      else if (dy === 0) tiedYOnly++;
      else if (dx === dy) concordant++;
      else discordant++;
    }
  }
  const n1 = concordant + discordant + tiedXOnly;
  const n2 = concordant + discordant + tiedYOnly;
  return n1 > 0 && n2 > 0 ? (concordant - discordant) / Math.sqrt(n1 * n2) : null;
}

/** average ranks by counting: rank = (values below) + (equal values, itself included, + 1) / 2 */
function bruteRanks(values: readonly number[]): number[] {
  return values.map((v) => {
    const below = values.filter((w) => w < v).length;
    const equal = values.filter((w) => w === v).length;
    return below + (equal + 1) / 2;
  });
}

function brutePearson(xs: readonly number[], ys: readonly number[]): number | null {
  const n = xs.length;
  if (n < 2) return null;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
}

/** values[indices[i]] for each i: one bootstrap resample of a variable */
const pick = (values: readonly number[], indices: Int32Array) => Array.from(indices, (i) => values[i]);

const bruteSpearman = (xs: readonly number[], ys: readonly number[]) => brutePearson(bruteRanks(xs), bruteRanks(ys));

/** paired values with many ties: each from a few distinct values (signed zeros and infinities included when `special`) */
function pairs(maxLength: number, special: boolean) {
  const value = special ? fc.constantFrom(-Infinity, -1, -0, 0, 1, 2, Infinity) : fc.integer({ min: 0, max: 5 });
  return fc.array(fc.tuple(value, value), { maxLength }).map((ps) => [ps.map((p) => p[0]), ps.map((p) => p[1])] as const);
}

/** equal within `tolerance`, or both null */
function close(got: number | null, expected: number | null, tolerance = 1e-12): boolean {
  if (got === null || expected === null) return got === expected;
  return Math.abs(got - expected) <= tolerance;
}

describe('kendallTau (Knight)', () => {
  it('equals the O(n²) τ-b on tied data, null cases included', () => {
    fc.assert(
      fc.property(pairs(60, false), ([xs, ys]) => close(kendallTau(xs, ys), bruteKendall(xs, ys))),
      { numRuns: 2000 },
    );
  });

  it('equals the O(n²) τ-b with signed zeros and infinities', () => {
    fc.assert(
      fc.property(pairs(60, true), ([xs, ys]) => close(kendallTau(xs, ys), bruteKendall(xs, ys))),
      { numRuns: 1000 },
    );
  });

  it('equals the O(n²) τ-b on longer series (several merge passes)', () => {
    const longer = fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 })), { minLength: 100, maxLength: 400 });
    fc.assert(
      fc.property(longer, (ps) => {
        const xs = ps.map((p) => p[0]);
        const ys = ps.map((p) => p[1]);
        return close(kendallTau(xs, ys), bruteKendall(xs, ys));
      }),
      { numRuns: 100 },
    );
  });

  it('gives the values scipy.stats.kendalltau gives', () => {
    expect(kendallTau([1, 2, 3, 4], [1, 2, 3, 4])).toBe(1);
    expect(kendallTau([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-1);
    // pairs of x = [1, 2, 2, 3], y = [1, 3, 2, 3]: (0,1) (0,2) (0,3) (2,3) concordant, (1,2) tied
    // in x only, (1,3) tied in y only: (4 − 0) / √((6 − 1)(6 − 1)) = 0.8
    expect(kendallTau([1, 2, 2, 3], [1, 3, 2, 3])).toBeCloseTo(0.8, 14);
    // scipy's docstring example: 2 concordant, 6 discordant, one pair tied in x only, one tied in
    // both: (2 − 6) / √((10 − 1 − 1)(10 − 1)) = −4 / √72
    expect(kendallTau([12, 2, 1, 12, 2], [1, 4, 7, 1, 0])).toBeCloseTo(-0.47140452079103173, 14);
  });

  it('counts exactly at n = 20,000', () => {
    // x = i, y = i mod 2: C − D = m for n = 2m, no ties in x, 2·m(m − 1)/2 ties in y, so
    // τ-b = m / √(m(2m − 1) · m²) = 1 / √(m(2m − 1))
    const n = 20_000;
    const m = n / 2;
    const xs = Array.from({ length: n }, (_, i) => i);
    expect(kendallTau(xs, xs.map((i) => i % 2))).toBeCloseTo(1 / Math.sqrt(m * (2 * m - 1)), 15);
    expect(kendallTau(xs, xs.map((i) => -i))).toBe(-1);
  });

  it('is null without two pairs or with a constant variable; refuses NaN and unequal lengths', () => {
    expect(kendallTau([], [])).toBeNull();
    expect(kendallTau([1], [2])).toBeNull();
    expect(kendallTau([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(kendallTau([1, 2, 3], [0, -0, 0])).toBeNull();
    expect(() => kendallTau([1, NaN, 3], [1, 2, 3])).toThrow(RangeError);
    expect(() => kendallTau([1, 2], [1])).toThrow(RangeError);
  });

  it('leaves its inputs as they were (a caller may reuse them)', () => {
    const xs = Float64Array.of(3, 1, 2, 1);
    const ys = [2, 2, 1, 3];
    kendallTau(xs, ys);
    spearman(xs, ys);
    expect([...xs]).toEqual([3, 1, 2, 1]);
    expect(ys).toEqual([2, 2, 1, 3]);
  });
});

describe('spearman', () => {
  it('averageRanks equals the ranks counted directly', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(-Infinity, -0, 0, 1, 2, 3, Infinity), { maxLength: 60 }), (values) => {
        expect([...averageRanks(values)]).toEqual(bruteRanks(values));
      }),
      { numRuns: 1000 },
    );
  });

  it("equals Pearson's r of directly counted average ranks, on tied data", () => {
    fc.assert(
      fc.property(pairs(60, false), ([xs, ys]) => close(spearman(xs, ys), bruteSpearman(xs, ys))),
      { numRuns: 2000 },
    );
  });

  it('gives the values scipy.stats.spearmanr gives', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBe(1);
    expect(spearman([1, 2, 3, 4], [40, 30, 20, 10])).toBe(-1);
    // ranks [1, 2.5, 2.5, 4] and [1, 3.5, 2, 3.5], both of mean 2.5: deviations [−1.5, 0, 0, 1.5]
    // and [−1.5, 1, −0.5, 1]; Σxy = 2.25 + 1.5 = 3.75, Σx² = Σy² = 4.5: ρ = 3.75 / 4.5 = 5/6
    expect(spearman([1, 2, 2, 3], [1, 3, 2, 3])).toBeCloseTo(5 / 6, 14);
    // scipy's docstring example: ranks [1..5] and [1, 2, 3.5, 5, 3.5]: 8 / √(10 · 9.5)
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(0.8207826816681233, 14);
  });

  it('is null without two pairs or with a constant variable; refuses NaN and unequal lengths', () => {
    expect(spearman([], [])).toBeNull();
    expect(spearman([1], [1])).toBeNull();
    expect(spearman([2, 2, 2], [1, 2, 3])).toBeNull();
    expect(() => spearman([1, 2, 3], [1, NaN, 3])).toThrow(RangeError);
    expect(() => spearman([1, 2], [1])).toThrow(RangeError);
  });
});

describe('bootstrapInterval', () => {
  // a strongly correlated sample: y = x plus noise a tenth of x's range
  const data = Rng.fromSeed(11);
  const xs = Array.from({ length: 300 }, () => data.int(1000));
  const ys = xs.map((x) => x + data.int(100));
  const tau = (indices: Int32Array) => kendallTau(pick(xs, indices), pick(ys, indices));
  const interval = (seed: number, level?: number) => bootstrapInterval(xs.length, tau, { resamples: 200, level, rng: Rng.fromSeed(seed) });

  it('is deterministic for a seed, and another seed draws other resamples', () => {
    expect(interval(5)).toEqual(interval(5));
    expect(interval(6)).not.toEqual(interval(5));
  });

  it('brackets the point estimate of a strongly correlated sample', () => {
    const estimate = kendallTau(xs, ys)!;
    expect(estimate).toBeGreaterThan(0.8);
    const { low, high } = interval(5)!;
    expect(low).toBeLessThanOrEqual(estimate);
    expect(high).toBeGreaterThanOrEqual(estimate);
    expect(high - low).toBeGreaterThan(0);
    expect(high - low).toBeLessThan(0.1);
  });

  it('nests a narrower level inside a wider one for the same resamples', () => {
    const wide = interval(5, 0.95)!;
    const narrow = interval(5, 0.5)!;
    expect(narrow.low).toBeLessThanOrEqual(narrow.high);
    expect(narrow.low).toBeGreaterThanOrEqual(wide.low);
    expect(narrow.high).toBeLessThanOrEqual(wide.high);
  });

  it('draws n indices in [0, n) per resample, skips undefined statistics, and is null when all are', () => {
    const seen: number[] = [];
    const count = (indices: Int32Array) => {
      expect(indices.length).toBe(4);
      for (const i of indices) expect(i >= 0 && i < 4).toBe(true);
      seen.push(indices[0]);
      return seen.length % 2 === 0 ? null : seen.length; // values 1, 3, 5, 7, 9 survive
    };
    expect(bootstrapInterval(4, count, { resamples: 10, level: 0.5, rng: Rng.fromSeed(1) })).toEqual({ low: 3, high: 7 });
    expect(seen).toHaveLength(10);
    expect(bootstrapInterval(4, () => null, { resamples: 10, rng: Rng.fromSeed(1) })).toBeNull();
  });

  it('refuses a meaningless n, resample count or level', () => {
    const rng = Rng.fromSeed(1);
    expect(() => bootstrapInterval(0, tau, { resamples: 10, rng })).toThrow(RangeError);
    expect(() => bootstrapInterval(10, tau, { resamples: 0, rng })).toThrow(RangeError);
    expect(() => bootstrapInterval(10, tau, { resamples: 10, level: 1, rng })).toThrow(RangeError);
  });
});
