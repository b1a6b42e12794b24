/**
 * The scores a search can maximise, by name, as in TinyNAS's score registry: the analytic ones
 * are a function of a structure; the measured entropy runs a forward pass per child on an ONNX
 * runtime (the measured search). Adding a score is adding its entry here.
 */
import type { Structure } from '../block';
import type { ScoreConfig } from '../config';
import { ConfigError } from '../errors';
import { deepmad } from './deepmad';
import { madnas } from './madnas';

/** The reference scores a structure it cannot score (e.g. a wrong stage count) as −9999. */
export const FAILED_SCORE = -9999;

export interface ScoreKind {
  /** for people */
  readonly label: string;
  /** the score of a structure under a config's score settings; undefined for a measured score */
  readonly analytic: ((score: ScoreConfig) => (structure: Structure) => number) | undefined;
}

const SCORES = {
  madnas: { label: "MAE-DET's analytic entropy (madnas)", analytic: (c) => (s) => madnas(s, c.multiBlockRatio).total },
  deepmad: { label: 'DeepMAD', analytic: (c) => (s) => deepmad(s, { ratio: c.multiBlockRatio, imageSize: c.imageSize, alpha1: c.alpha1, alpha2: c.alpha2 }).total },
  entropy: { label: "MAE-DET's measured entropy (a forward pass per child)", analytic: undefined },
} as const satisfies Record<string, ScoreKind>;

export type ScoreType = keyof typeof SCORES;

export const SCORE_TYPES = Object.keys(SCORES) as ScoreType[];

/** whether a score is measured (a forward pass per child) rather than computed */
export const isMeasured = (type: ScoreType): boolean => SCORES[type].analytic === undefined;

/** The analytic score of a config as one function of a structure (FAILED_SCORE where it cannot score). */
export function scoreFunction(score: ScoreConfig): (structure: Structure) => number {
  const analytic: ScoreKind['analytic'] = SCORES[score.type].analytic;
  if (!analytic) throw new ConfigError('score.type', 'the measured entropy runs a forward pass per child on an ONNX runtime; search with it through the measured search (CLI `search --score entropy`, or the studio)');
  const compute = analytic(score);
  return (s) => {
    try {
      const value = compute(s);
      return Number.isFinite(value) ? value : FAILED_SCORE;
    } catch {
      return FAILED_SCORE;
    }
  };
}
