/**
 * DeepMAD (§3.3): the stage value is (ln channels + ln fm²) × Σ block terms, and the efficient
 * score that DeepMAD configs budget. Block classes without DeepMAD terms (KXKX, K1KX) fail with a
 * clear error, as the reference does.
 */
import { log } from '../math';
import type { Structure } from '../block';
import { blockKind } from '../blocks/registry';
import type { DeepmadAlpha } from '../blocks/kind';
import { StructureError } from '../errors';
import { stageInfo } from '../cost';
import { ratioScore } from './madnas';

const DEFAULT_DEEPMAD_RATIO: readonly number[] = [1, 1, 1, 1, 8];

function termsOf(structure: Structure, what: 'deepmad' | 'width', alpha: DeepmadAlpha): number[] {
  const out: number[] = [];
  structure.forEach((b, i) => {
    const kind = blockKind(b.class);
    const fn = what === 'deepmad' ? kind.deepmadTerms : kind.widthTerms;
    if (!fn) throw new StructureError(`block ${i} is ${b.class}, which has no ${what === 'deepmad' ? 'DeepMAD' : 'width'} terms in the reference; DeepMAD needs K1KXK1 or K1DWK1 blocks`, { blockIndex: i, key: 'class' });
    for (const t of fn(b, alpha)) out.push(t);
  });
  return out;
}

export interface DeepmadOptions {
  ratio?: readonly number[];
  /** the score's own image size (default 224); enters through the stage feature-map sizes */
  imageSize?: number;
  alpha1?: number;
  alpha2?: number;
}

export function deepmad(structure: Structure, options: DeepmadOptions = {}): { total: number; perStage: number[]; perBlock: number[] } {
  const alpha = { alpha1: options.alpha1 ?? 1, alpha2: options.alpha2 ?? 1 };
  const perBlock = termsOf(structure, 'deepmad', alpha);
  const info = stageInfo(structure, options.imageSize ?? 224);
  const { total, perStage } = ratioScore(perBlock, info, options.ratio ?? DEFAULT_DEEPMAD_RATIO, (i, sum) => {
    const fm = info.featureMapSize[i];
    return (log(info.channels[i]) + log(fm * fm)) * sum;
  });
  return { total, perStage, perBlock };
}

/** `efficient_score`: max over stages of exp(ln D_i − ρ_i / D_i), ρ_i = Σ ln width terms. */
export function efficientScore(structure: Structure): number {
  const widths = termsOf(structure, 'width', { alpha1: 1, alpha2: 1 });
  const info = stageInfo(structure);
  let best = -Infinity;
  for (let i = 0; i < info.idx.length; i++) {
    let rho = 0.0;
    for (let j = 0; j < info.blockNum[i]; j++) rho += log(widths[j]);
    const depth = info.layerNum[i];
    best = Math.max(best, Math.exp(log(depth) - rho / depth));
  }
  return best;
}
