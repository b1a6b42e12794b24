/**
 * The shape of a network stage by stage: what each stage adds (conv layers, score terms), the
 * width and side of its output and its stride from the input, read from the stage info (§3.1).
 */
import type { Structure } from './block';
import { stageInfo, strideThrough } from './cost';

export interface StageShape {
  /** output channels of the stage */
  channels: number;
  /** conv layers in the stage */
  layers: number;
  /** entries of the score's term list in the stage: inner blocks, or 1 for the stem */
  blocks: number;
  /** output side of the stage at the resolution */
  featureMapSize: number;
  /** how many input pixels one output pixel steps over: the product of the strides so far */
  stride: number;
}

export function stageShapes(structure: Structure, resolution: number): StageShape[] {
  const info = stageInfo(structure, resolution);
  return info.idx.map((last, i) => ({
    channels: info.channels[i],
    layers: info.layerNum[i] - (i > 0 ? info.layerNum[i - 1] : 0),
    blocks: info.blockNum[i] - (i > 0 ? info.blockNum[i - 1] : 0),
    featureMapSize: info.featureMapSize[i],
    stride: strideThrough(structure, last),
  }));
}
