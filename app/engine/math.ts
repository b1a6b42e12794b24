/**
 * A natural logarithm that gives the same bits on every JavaScript engine. `Math.log` is not
 * specified to the last bit: Node 20's V8 and Chromium 156's differ in about 1 of 100 results,
 * and one flipped comparison sends a seeded search down another path. This is the classic
 * fdlibm algorithm (argument reduction to [√2/2, √2], then a minimax polynomial in
 * s = f/(2+f)), written with IEEE-754 + − × ÷ only, which every engine rounds identically.
 * Error < 1 ulp.
 */
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const TWO54 = 1.8014398509481984e16;
const LG1 = 6.666666666666735130e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// word order of a float64 in memory (little-endian on every platform that runs this today)
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

export function log(x: number): number {
  f64[0] = x;
  let hx = u32[HI] | 0;
  const lx = u32[LO];
  let k = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity;
    if (hx < 0) return NaN;
    // subnormal: scale up
    k -= 54;
    f64[0] = x * TWO54;
    hx = u32[HI] | 0;
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  // normalise x or x/2 into [√2/2, √2]
  u32[HI] = hx | (i ^ 0x3ff00000);
  k += i >> 20;
  const f = f64[0] - 1.0;
  const dk = k;
  if ((0x000fffff & (2 + hx)) < 3) {
    // |f| < 2^-20
    if (f === 0) return k === 0 ? 0 : dk * LN2_HI + dk * LN2_LO;
    const R = f * f * (0.5 - 0.3333333333333333 * f);
    return k === 0 ? f - R : dk * LN2_HI - (R - dk * LN2_LO - f);
  }
  const s = f / (2.0 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const R = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + R)) : dk * LN2_HI - (hfsq - (s * (hfsq + R) + dk * LN2_LO) - f);
  }
  return k === 0 ? f - s * (f - R) : dk * LN2_HI - (s * (f - R) - dk * LN2_LO - f);
}

/**
 * An exponential with the same guarantees as `log` above: `Math.exp` is no more pinned down than
 * `Math.log` (Chromium 156's differs from Node 20's in about 1 of 10 results). This is fdlibm's
 * e_exp.c — reduction x = k·ln2 + r with |r| ≤ ln2/2, ln2 split in two so that k·LN2_HI is
 * exact, then e^r from a degree-5 minimax polynomial in r² (a Remez fit of r·(e^r + 1)/(e^r − 1))
 * — in + − × ÷ only. The final 2^k is applied exactly by adding k to the exponent field, as
 * fdlibm does, rather than by `Math.pow`, which is not pinned down either. Error < 1 ulp.
 */
const INV_LN2 = 1.44269504088896338700e0;
const EXP_OVERFLOW = 7.09782712893383973096e2; // the largest x with a finite e^x
const EXP_UNDERFLOW = -7.45133219101941108420e2; // below it e^x rounds to 0
const TWO_M1000 = 9.33263618503218878990e-302; // 2^-1000
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.65339022054652515390e-6;
const P5 = 4.13813679705723846039e-8;

export function exp(x: number): number {
  f64[0] = x;
  const hx = u32[HI] & 0x7fffffff; // high word of |x|
  const negative = u32[HI] >>> 31 === 1;
  if (hx >= 0x40862e42) {
    // |x| ≥ 709.78: NaN, ±∞, overflow or underflow
    if (hx >= 0x7ff00000) return x !== x ? x : negative ? 0 : x;
    if (x > EXP_OVERFLOW) return Infinity;
    if (x < EXP_UNDERFLOW) return 0;
  }
  let k = 0;
  let hi = 0;
  let lo = 0;
  if (hx > 0x3fd62e42) {
    // |x| > ln2/2: reduce to r = hi − lo = x − k·ln2
    if (hx < 0x3ff0a2b2) {
      // |x| < 1.5·ln2: k = ±1
      k = negative ? -1 : 1;
      hi = negative ? x + LN2_HI : x - LN2_HI;
      lo = negative ? -LN2_LO : LN2_LO;
    } else {
      // rounds half away from zero, as fdlibm's (int)(x/ln2 ± 0.5)
      k = (INV_LN2 * x + (negative ? -0.5 : 0.5)) | 0;
      hi = x - k * LN2_HI; // exact: k·LN2_HI has trailing zero bits to spare
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    // |x| < 2^-28: e^x = 1 + x to within rounding
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - (lo - (x * c) / (2 - c) - hi);
  // y·2^k, exactly: add k to y's exponent (y ∈ [0.7, 1.5], so only a subnormal result needs a
  // second step, one rounding by 2^-1000)
  f64[0] = y;
  if (k >= -1021) {
    u32[HI] += k << 20;
    return f64[0];
  }
  u32[HI] += (k + 1000) << 20;
  return f64[0] * TWO_M1000;
}

/** log(sqrt(n)) for the integers the scores take (channels, btn·k²), memoised. */
const LOG_SQRT_CACHE = new Float64Array(1 << 17).fill(NaN);

export function logSqrt(x: number): number {
  if (Number.isInteger(x) && x >= 0 && x < LOG_SQRT_CACHE.length) {
    const cached = LOG_SQRT_CACHE[x];
    if (cached === cached) return cached;
    return (LOG_SQRT_CACHE[x] = log(Math.sqrt(x)));
  }
  return log(Math.sqrt(x));
}
