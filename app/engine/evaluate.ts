/**
 * Everything the tools show about one structure, in one object: the CLI's `evaluate`, and later
 * the studio's architecture view, read the same report.
 */
import type { Structure } from './block';
import { StructureError } from './errors';
import { flopsAt, layers, paperTableFlops, params, perBlockCosts, stageInfo, type StageInfo } from './cost';
import { deepmad, efficientScore } from './scores/deepmad';
import { madnas } from './scores/madnas';
import { DETECTION_STAGE_WEIGHTS } from './configFields';

export interface StructureReport {
  resolution: number;
  params: number;
  layers: number;
  /** FLOPs at resolution × resolution (the search's convention, §2.6) */
  flops: number;
  /** FLOPs at 1280×800 in the papers' convention (§1.5) */
  paperFlops1280x800: number;
  madnas: number;
  madnasPerStage: number[];
  madnasPerBlock: number[];
  /** DeepMAD with weights [1,1,1,1,8] and image size = resolution; null where undefined (KXKX, K1KX) */
  deepmad: number | null;
  efficientScore: number | null;
  stageInfo: StageInfo;
  blocks: { class: string; params: number; flops: number; layers: number }[];
}

/** the value, or null where the score is undefined for this structure (other errors propagate) */
function orNull(f: () => number): number | null {
  try {
    return f();
  } catch (e) {
    if (e instanceof StructureError) return null;
    throw e;
  }
}

/** Report a structure; throws a StructureError if its stage count does not match the ratio. */
export function evaluateStructure(structure: Structure, resolution = 480, ratio: readonly number[] = DETECTION_STAGE_WEIGHTS): StructureReport {
  const score = madnas(structure, ratio);
  const info = stageInfo(structure, resolution);
  const fiveStages = info.idx.length === 5;
  return {
    resolution,
    params: params(structure),
    layers: layers(structure),
    flops: flopsAt(structure, resolution),
    paperFlops1280x800: paperTableFlops(structure),
    madnas: score.total,
    madnasPerStage: score.perStage,
    madnasPerBlock: score.perBlock,
    deepmad: fiveStages ? orNull(() => deepmad(structure, { imageSize: resolution }).total) : null,
    efficientScore: orNull(() => efficientScore(structure)),
    stageInfo: info,
    blocks: perBlockCosts(structure, resolution).map((c, i) => ({ class: structure[i].class, params: c.params, flops: c.flops, layers: c.layers })),
  };
}
