/**
 * Seeded Gaussian numbers for random weights and inputs (the measured entropy, the deploy
 * model's Kaiming init). Fast — tens of millions per second, as MAE-DET-L has 44 M weights — and
 * bit-identical on every JavaScript engine: xoshiro128** on 32-bit integer ops, then Marsaglia's
 * polar method, which needs only + − × ÷, √ (correctly rounded everywhere) and the engine's own
 * deterministic `log`.
 */
import { log } from './math';

export class NormalStream {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number) {
    // splitmix32 spreads the seed over the four state words (never all zero)
    let x = seed | 0;
    const next = () => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next() | 1;
  }

  /** uniform 32-bit integer (xoshiro128**) */
  private uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** one standard normal number */
  next(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    for (;;) {
      // uniform in (−1, 1) on a 2^-31 grid
      const u = this.uint32() / 2147483648 - 1;
      const v = this.uint32() / 2147483648 - 1;
      const s = u * u + v * v;
      if (s >= 1 || s === 0) continue;
      const f = Math.sqrt((-2 * log(s)) / s);
      this.spare = v * f;
      this.hasSpare = true;
      return u * f;
    }
  }

  /** fill `out` with N(0, std²) numbers */
  fill(out: Float32Array, std = 1): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.next() * std;
    return out;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
