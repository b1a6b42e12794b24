/**
 * The measured entropy (§4) as the objective of a batched search. Every child is measured with
 * the search's seed — the same image and the same weight stream for all (common random numbers),
 * so score differences come from the architectures rather than from the draw.
 */
import type { RunConfig } from '../config';
import { measureEntropy, type EntropySettings, type OnnxRuntime } from '../entropy';
import { ConfigError, StructureError } from '../errors';
import { FAILED_SCORE } from '../scores';
import type { BatchScorer } from './batchedSearch';

export function entropySettingsOf(config: RunConfig): EntropySettings {
  const { batch, resolution, repeats, bn, relu } = config.score.entropy;
  return { batch, resolution, repeats, bn, relu, seed: config.search.seed, ratio: config.score.multiBlockRatio };
}

/**
 * Scores of a batch, one structure after another on `runtime`. A structure the measurement
 * cannot run (a StructureError, e.g. a layer with no output at this resolution) scores −9999, as
 * the reference scores its failures; a runtime failure (memory) stops the search with its reason.
 */
export function entropyScorer(settings: EntropySettings, runtime: OnnxRuntime): BatchScorer {
  return async (structures) => {
    const scores: number[] = [];
    for (const structure of structures) {
      try {
        scores.push((await measureEntropy(structure, settings, runtime)).mean);
      } catch (e) {
        if (!(e instanceof StructureError || e instanceof ConfigError)) throw e;
        scores.push(FAILED_SCORE);
      }
    }
    return scores;
  };
}
