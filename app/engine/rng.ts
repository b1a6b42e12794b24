/**
 * The seeded random generator of every search: xoroshiro128+ from pure-rand. Its state is four
 * 32-bit integers, so a search can be saved and resumed exactly, and the same seed gives the
 * same run in Node, in a worker and in the page.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';
import { ConfigError, describeValue } from './errors';

export type RngState = readonly number[];

/** the largest seed of the engine's seeded streams (`fromSeed` keeps 31 bits, as `seed | 0` of a non-negative seed) */
export const MAX_SEED = 2 ** 31 - 1;

export class Rng {
  private constructor(private readonly gen: JumpableRandomGenerator) {}

  static fromSeed(seed: number): Rng {
    return new Rng(xoroshiro128plus(seed | 0));
  }

  /** the generator a saved state was taken of; a state that is not four 32-bit integers is refused (it would run on garbage) */
  static fromState(state: RngState): Rng {
    if (!Array.isArray(state) || state.length !== 4 || !state.every((v) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 32)) {
      throw new ConfigError('rng', `found ${describeValue(state)}, expected the generator's state: four 32-bit integers`);
    }
    return new Rng(xoroshiro128plusFromState(state));
  }

  /**
   * An independent stream for worker `index` of a multi-worker search: the seed's stream jumped
   * 2^64 steps `index + 1` times, so streams never overlap.
   */
  static forWorker(seed: number, index: number): Rng {
    const gen = xoroshiro128plus(seed | 0);
    for (let i = 0; i <= index; i++) gen.jump();
    return new Rng(gen);
  }

  /** uniform integer in [0, n) */
  int(n: number): number {
    if (!(n >= 1)) throw new RangeError(`cannot draw from an empty range (n = ${n})`);
    return uniformInt(this.gen, 0, n - 1);
  }

  choice<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }

  state(): number[] {
    return [...this.gen.getState()];
  }
}
