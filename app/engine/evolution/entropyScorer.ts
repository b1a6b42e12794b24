/**
 * The measured entropy (§4) as the objective of a measured search. Every child is measured with
 * the search's seed — the same image and the same weight stream for all (common random numbers),
 * so score differences come from the architectures rather than from the draw.
 */
import type { Structure } from '../block';
import type { RunConfig } from '../config';
import { structureKey } from '../structure';
import { measureEntropy, type EntropySettings, type OnnxRuntime } from '../entropy';
import type { NormalPrefix } from '../normal';
import { ConfigError, StructureError } from '../errors';
import { FAILED_SCORE } from '../scores';

export function entropySettingsOf(config: RunConfig): EntropySettings {
  const { batch, resolution, repeats, bn, relu } = config.score.entropy;
  return { batch, resolution, repeats, bn, relu, seed: config.search.seed, ratio: config.score.multiBlockRatio };
}

/** structures whose score is remembered: an evolutionary search proposes many it has seen */
const CACHE_SIZE = 4096;

/** scores of structures, in order: a measured search's scorer (it needs no call index) */
export type EntropyScorer = (structures: Structure[]) => Promise<number[]>;

/**
 * Scores of one scoring call's structures, one after another on `runtime`. With a fixed seed a structure's
 * score is a function of the structure, so one measured before is not measured again (the
 * search's children often repeat a member). A structure the measurement cannot run (a
 * StructureError, e.g. a layer with no output at this resolution) scores −9999, as the reference
 * scores its failures; a runtime failure (memory) stops the search with its reason.
 */
export function entropyScorer(settings: EntropySettings, runtime: OnnxRuntime): EntropyScorer {
  const known = new Map<string, number>();
  // every child draws the same streams (the search's seed): drawn once, then shared
  const draws = new Map<number, NormalPrefix>();
  const measure = async (structure: Structure) => {
    try {
      return (await measureEntropy(structure, settings, runtime, { draws })).mean;
    } catch (e) {
      if (!(e instanceof StructureError || e instanceof ConfigError)) throw e;
      return FAILED_SCORE;
    }
  };
  return async (structures) => {
    const scores: number[] = [];
    for (const structure of structures) {
      const key = structureKey(structure);
      let score = known.get(key);
      if (score === undefined) {
        score = await measure(structure);
        // a Map keeps insertion order: drop the oldest when full
        if (known.size >= CACHE_SIZE) known.delete(known.keys().next().value!);
        known.set(key, score);
      }
      scores.push(score);
    }
    return scores;
  };
}
