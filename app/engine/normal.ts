/**
 * Seeded Gaussian numbers for random weights and inputs (the measured entropy, the deploy
 * model's Kaiming init). Fast — about 5 ns a number, as MAE-DET-L has 44 M weights and a
 * measured-entropy repeat of MAE-DET-S draws 21 M — and bit-identical on every JavaScript engine.
 *
 * The method is the Ziggurat of Marsaglia & Tsang ("The Ziggurat Method for Generating Random
 * Variables", J. Stat. Softw. 5(8), 2000) with 256 layers, on xoshiro128** (32-bit integer ops).
 * 98.5 % of numbers take the fast path: one generator output, integer shifts and masks, one
 * compare and one ×. The rest (wedges and the tail) need `log` and `exp`, taken from ./math,
 * whose bits, unlike `Math.log`'s and `Math.exp`'s, do not depend on the engine. The tables are
 * built at module load from those functions and IEEE + − × ÷ √, so they are identical everywhere.
 *
 * The paper's 32-bit version takes the layer index from the low bits of the same integer that
 * gives the value, correlating the two (Doornik, "An Improved Ziggurat Method to Generate Normal
 * Random Samples", 2005), on SHR3, a weak generator (Leong et al., J. Stat. Softw. 12(7), 2005).
 * Here each xoshiro128** output is split into disjoint fields: bits 0–7 choose the layer, bits
 * 8–31 are a signed position across it, offset by ½ so that it is symmetric about 0 and never 0.
 * Its resolution is 2^-23 of the layer's width (≤ 3.92): steps of at most 4.7e-7, about a float32's
 * spacing at |x| ≈ 4, far finer than any statistic of these numbers can see.
 */
import { exp, log } from './math';

/** Marsaglia & Tsang's 256-layer constants (NumPy's too): the tail's start, each layer's area */
const R = 3.6541528853610088;
const V = 4.92867323399e-3;
const LAYERS = 256;
const LAYER_BITS = 8;
/** the signed position `u >> LAYER_BITS` has 23 magnitude bits */
const POSITION_SCALE = 2 ** 23;
const UINT32_SCALE = 2 ** -32;

/** the unnormalised density e^(−x²/2) */
const density = (x: number) => exp(-0.5 * x * x);

/**
 * Layer i ≥ 1 is the rectangle [0, X[i]] × [f(X[i]), f(X[i+1])] (X decreasing, X[1] = R,
 * X[LAYERS] = 0); layer 0 is [0, V/f(R)] × [0, f(R)], whose part beyond R stands in for the tail,
 * of the same area V. Per layer, for a position p ∈ (−2^23, 2^23):
 * - WIDTH[i] = X[i] / 2^23, so x = p · WIDTH[i];
 * - INNER[i] = 2^23 · (the layer's part wholly under the curve) / X[i]: |p| < INNER[i] accepts x;
 * - EDGE[i] = f(X[i]), the layer's bottom (EDGE[i + 1] its top), for the wedge test.
 */
const WIDTH = new Float64Array(LAYERS);
const INNER = new Float64Array(LAYERS);
const EDGE = new Float64Array(LAYERS + 1);
{
  const x = new Float64Array(LAYERS + 1);
  x[0] = V / density(R);
  x[1] = R;
  for (let i = 1; i < LAYERS - 1; i++) x[i + 1] = Math.sqrt(-2 * log(V / x[i] + density(x[i])));
  x[LAYERS] = 0;
  for (let i = 0; i < LAYERS; i++) {
    WIDTH[i] = x[i] / POSITION_SCALE;
    INNER[i] = (POSITION_SCALE * (i === 0 ? R : x[i + 1])) / x[i];
    EDGE[i] = i === 0 ? 0 : density(x[i]);
  }
  EDGE[LAYERS] = 1;
}

/** `fill` runs the fast path over blocks of this many numbers before the slow path's */
const BLOCK = 1024;
/** the block's numbers that left the fast path: their index in `out`, and their main output */
const pendingIndex = new Int32Array(BLOCK);
const pendingDraw = new Int32Array(BLOCK);

export class NormalStream {
  /** one output per number: its layer and position */
  private readonly main: Xoshiro128;
  /**
   * Everything else the few numbers off the fast path need (wedge and tail uniforms, redraws
   * after a rejection). Keeping it apart means number i always uses the main generator's i-th
   * output, so `fill` can do a block's fast path first, in a tight loop without calls, and its
   * slow path after — giving the same numbers as `next()`, however the calls are split.
   */
  private readonly spare: Xoshiro128;

  constructor(seed: number) {
    // splitmix32 spreads the seed over the eight state words. Its outputs for distinct counters
    // are distinct (a bijective mix), so at most one word is 0 and neither generator starts in
    // the all-zero state, xoshiro's one fixed point.
    let x = seed | 0;
    const splitmix = () => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    this.main = new Xoshiro128(splitmix(), splitmix(), splitmix(), splitmix());
    this.spare = new Xoshiro128(splitmix(), splitmix(), splitmix(), splitmix());
  }

  /** one standard normal number */
  next(): number {
    const u = this.main.int32();
    const layer = u & (LAYERS - 1);
    const position = (u >> LAYER_BITS) + 0.5;
    if (Math.abs(position) < INNER[layer]) return position * WIDTH[layer];
    return this.outsideInner(u);
  }

  /**
   * Fill `out` with N(0, std²) numbers: the same numbers as `next() * std`, rounded to float32.
   * This is where the time goes, so the main generator and the fast path are written out here on
   * local copies of the state, which V8 keeps in registers while the loop makes no calls.
   */
  fill(out: Float32Array, std = 1): Float32Array {
    const main = this.main;
    let a = main.a;
    let b = main.b;
    let c = main.c;
    let d = main.d;
    for (let start = 0; start < out.length; start += BLOCK) {
      const end = Math.min(out.length, start + BLOCK);
      let pending = 0;
      for (let i = start; i < end; i++) {
        const u = Math.imul(rotl(Math.imul(b, 5), 7), 9);
        const t = b << 9;
        c ^= a;
        d ^= b;
        b ^= c;
        a ^= d;
        c ^= t;
        d = rotl(d, 11);
        const layer = u & (LAYERS - 1);
        const position = (u >> LAYER_BITS) + 0.5;
        // stored unconditionally (cheaper than a branch around it), overwritten if rejected
        out[i] = position * WIDTH[layer] * std;
        if (Math.abs(position) >= INNER[layer]) {
          pendingIndex[pending] = i;
          pendingDraw[pending++] = u;
        }
      }
      for (let k = 0; k < pending; k++) out[pendingIndex[k]] = this.outsideInner(pendingDraw[k]) * std;
    }
    main.a = a;
    main.b = b;
    main.c = c;
    main.d = d;
    return out;
  }

  /**
   * The slow path, for a main output `u` that fell outside its layer's inner part: in layer 0 a
   * draw from the tail |x| > R, elsewhere the wedge test under the curve; a rejected point starts
   * over with a fresh output, as in the paper.
   */
  private outsideInner(u: number): number {
    for (;;) {
      const layer = u & (LAYERS - 1);
      const position = (u >> LAYER_BITS) + 0.5;
      if (Math.abs(position) < INNER[layer]) return position * WIDTH[layer];
      if (layer === 0) return position < 0 ? -this.tail() : this.tail();
      const x = position * WIDTH[layer];
      if (EDGE[layer] + this.spare.uniform() * (EDGE[layer + 1] - EDGE[layer]) < density(x)) return x;
      u = this.spare.int32();
    }
  }

  /** R + an exponential excess, accepted by Marsaglia's 1964 test, so |x| > R is normal-tailed */
  private tail(): number {
    for (;;) {
      const excess = -log(this.spare.uniform()) / R;
      const y = -log(this.spare.uniform());
      if (y + y >= excess * excess) return R + excess;
    }
  }
}

/** xoshiro128** (Blackman & Vigna): 32-bit integer ops only, so the same on every engine */
class Xoshiro128 {
  constructor(
    public a: number,
    public b: number,
    public c: number,
    public d: number,
  ) {}

  /** uniform 32-bit integer, as a signed int32 */
  int32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9);
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** uniform in (0, 1), never 0 (for `log`) nor 1 */
  uniform(): number {
    return ((this.int32() >>> 0) + 0.5) * UINT32_SCALE;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * The first numbers of one seed's normal stream, kept and grown as they are asked for: callers
 * that draw the same stream again and again (a measured search draws the same image and weights
 * for every child, in the same order) take views of it instead of drawing them anew.
 */
export class NormalPrefix {
  private readonly stream: NormalStream;
  private numbers = new Float32Array(0);

  constructor(readonly seed: number) {
    this.stream = new NormalStream(seed);
  }

  /** the stream's first `count` numbers, N(0, 1) (a view: valid until the next call) */
  first(count: number): Float32Array {
    if (count > this.numbers.length) {
      // grow by half again at least, so a run of growing requests draws each number once
      const grown = new Float32Array(Math.max(count, Math.ceil(this.numbers.length * 1.5)));
      grown.set(this.numbers);
      this.stream.fill(grown.subarray(this.numbers.length));
      this.numbers = grown;
    }
    return this.numbers.subarray(0, count);
  }
}
