/**
 * Networks met on random mutation walks from a seed: each step mutates the current network with
 * the search's own mutation (§5.4); an accepted child becomes the current network. A walk restarts
 * from the seed after a fixed number of steps, because long walks drift to small networks (the
 * channel scale factors shrink more often than they grow). Without selection, the networks spread
 * over a wide range of costs and scores, which is what a picture of the space needs.
 */
import type { Structure } from '../block';
import type { Rng } from '../rng';
import { mutate, type MutateOptions } from '../spaces/mutate';
import { structureKey } from '../structure';

export interface WalkOptions<T> {
  mutate: MutateOptions;
  /** steps (accepted or not) before the walk restarts from the seed */
  walkLength: number;
  /** what to record for an accepted child, or null to reject it (the walk then stays where it is) */
  accept(structure: Structure): T | null;
}

/** consecutive steps without a new network after which the space is taken as exhausted */
const EXHAUSTED_AFTER = 10_000;

/**
 * Every distinct accepted network, once, in the order the walks meet them (the seed itself is not
 * one). Ends only when the walks stop finding new networks; take as many as needed.
 */
export function* mutationWalks<T>(seed: Structure, rng: Rng, options: WalkOptions<T>): Generator<{ structure: Structure; value: T }> {
  if (!(Number.isInteger(options.walkLength) && options.walkLength >= 1)) throw new RangeError(`a walk needs at least one step; found ${options.walkLength}`);
  const seen = new Set<string>([structureKey(seed)]);
  let current = seed;
  let step = 0;
  let sinceNew = 0;
  while (sinceNew < EXHAUSTED_AFTER) {
    if (step === options.walkLength) {
      current = seed;
      step = 0;
    }
    step++;
    sinceNew++;
    const child = mutate(current, rng, options.mutate);
    const value = options.accept(child);
    if (value === null) continue;
    current = child;
    const key = structureKey(child);
    if (seen.has(key)) continue;
    seen.add(key);
    sinceNew = 0;
    yield { structure: child, value };
  }
}
