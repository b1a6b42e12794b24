/**
 * The analytic MAE-DET entropy score `madnas` (§3.2): per stage, the log of the std gain of the
 * main path up to the stage's end plus log(channels), weighted by `multi_block_ratio`.
 */
import { log } from '../math';
import type { Structure } from '../block';
import { blockKind } from '../blocks/registry';
import { StructureError } from '../errors';
import { stageInfo, type StageInfo } from '../cost';

export interface MadnasResult {
  total: number;
  /** weighted stage contributions S_i (0 where the ratio is 0) */
  perStage: number[];
  /** the flat per-inner-block term list ℓ (stem first) */
  perBlock: number[];
}

function madnasTerms(structure: Structure): number[] {
  const terms: number[] = [];
  for (const b of structure) for (const t of blockKind(b.class).madnasTerms(b)) terms.push(t);
  return terms;
}

export function checkStageCount(info: StageInfo, ratio: readonly number[]): void {
  if (info.idx.length !== ratio.length) {
    throw new StructureError(
      `the structure has ${info.idx.length} stages (stride-2 blocks after the stem, plus one) but the score weights ${ratio.length}; expected ${ratio.length} stages`,
      { key: 's' },
    );
  }
}

/** Weighted per-stage sums: `(Σ_{j<blockNum_i} term_j + stageValue_i) ⊙ ratio`, summed left to right. */
export function ratioScore(
  terms: readonly number[],
  info: StageInfo,
  ratio: readonly number[],
  stageValue: (stage: number, termSum: number) => number,
): { total: number; perStage: number[] } {
  checkStageCount(info, ratio);
  const perStage: number[] = [];
  for (let i = 0; i < ratio.length; i++) {
    if (ratio[i] === 0) {
      perStage.push(0.0);
      continue;
    }
    let sum = 0.0;
    for (let j = 0; j < info.blockNum[i]; j++) sum += terms[j];
    perStage.push(stageValue(i, sum) * ratio[i]);
  }
  let total = 0.0;
  for (const s of perStage) total += s;
  return { total, perStage };
}

export function madnas(structure: Structure, ratio: readonly number[]): MadnasResult {
  const perBlock = madnasTerms(structure);
  const info = stageInfo(structure);
  const { total, perStage } = ratioScore(perBlock, info, ratio, (i, sum) => sum + log(info.channels[i]));
  return { total, perStage, perBlock };
}

/**
 * The unweighted stage sums S_i = Σ_{j ≤ end(i)} ℓ_j + ln C_i, one per stage; the score is
 * Σ r_i·S_i, and r_i·S_i is exactly `madnas(structure, r).perStage[i]` (same sum, then × r_i).
 */
export function stageSums(structure: Structure): number[] {
  const info = stageInfo(structure);
  return ratioScore(madnasTerms(structure), info, info.idx.map(() => 1), (i, sum) => sum + log(info.channels[i])).perStage;
}

/**
 * The weight each block's term ℓ_j carries in the score, per stage: S_i sums every term from the
 * stem to the end of stage i, so a term of stage i is counted in S_i, S_{i+1}, … and weighs
 * r_i + r_{i+1} + … ([0,0,1,1,6] gives [8,8,8,7,6]). The ln C_i terms weigh r_i alone.
 */
export function effectiveBlockWeights(ratio: readonly number[]): number[] {
  const weights: number[] = [];
  let fromHereOn = 0;
  for (let i = ratio.length - 1; i >= 0; i--) weights[i] = fromHereOn += ratio[i];
  return weights;
}
