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
