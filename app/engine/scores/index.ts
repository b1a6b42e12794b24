/** The configured search objective as one function of a structure. */
import type { Structure } from '../block';
import type { ScoreConfig } from '../config';
import { ConfigError } from '../errors';
import { deepmad } from './deepmad';
import { madnas } from './madnas';

/** The reference scores a structure it cannot score (e.g. a wrong stage count) as −9999. */
export const FAILED_SCORE = -9999;

/** The analytic score of a config; the measured entropy is no function of a structure alone. */
export function scoreFunction(score: ScoreConfig): (structure: Structure) => number {
  if (score.type === 'entropy') throw new ConfigError('score.type', 'the measured entropy runs a forward pass per child on an ONNX runtime; search with it through the batched search (CLI `search --score entropy`, or the studio)');
  const ratio = score.multiBlockRatio;
  const compute =
    score.type === 'madnas'
      ? (s: Structure) => madnas(s, ratio).total
      : (s: Structure) => deepmad(s, { ratio, imageSize: score.imageSize, alpha1: score.alpha1, alpha2: score.alpha2 }).total;
  return (s) => {
    try {
      const value = compute(s);
      return Number.isFinite(value) ? value : FAILED_SCORE;
    } catch {
      return FAILED_SCORE;
    }
  };
}
