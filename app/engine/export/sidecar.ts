/**
 * The description that travels with a deploy model, both in the ONNX file's metadata_props and
 * as a JSON file beside it: what a consumer needs to wire the backbone into a detector (timm-style
 * `feature_info`, input normalisation) and to reproduce it (structure, seed), plus the engine's
 * cost numbers for the same structure.
 */
import type { Structure } from '../block';
import { StructureError } from '../errors';
import { flopsAt, layers, params, stageInfo, strideThrough } from '../network';

export const SIDECAR_FORMAT = 'maedet-studio-backbone';
export const SIDECAR_VERSION = 1;
/** C2–C5 are the outputs of stages 1–4, so a deployable structure has at least 5 stages */
const FEATURE_STAGES = [1, 2, 3, 4];

/** One feature output, in timm's `feature_info` convention (plus the ONNX output name). */
export interface FeatureInfo {
  /** ONNX output name: C2 … C5 */
  name: string;
  /** the reference deploy model's module that produces it (`block_list.<i>`) */
  module: string;
  num_chs: number;
  /** input side ÷ feature side */
  reduction: number;
}

/** The model input and the detector pre-processing it expects (spec §7.3, the GFL configs). */
export interface DeployInput {
  name: string;
  layout: 'NCHW';
  /** H and W must be multiples of this (every stride-2 block halves the side exactly) */
  sizeMultiple: number;
  colorOrder: 'RGB';
  /** `(pixel − mean) / std` per channel, on pixel values 0–255 */
  mean: number[];
  std: number[];
}

export interface DeploySidecar {
  format: typeof SIDECAR_FORMAT;
  version: typeof SIDECAR_VERSION;
  structure: Structure;
  /** backbone parameters (conv weights + BN γ, β; no head), the engine's `params` */
  params: number;
  /** the search's FLOPs (engine `flopsAt`) at 224×224 and 480×480 */
  flops224: number;
  flops480: number;
  layers: number;
  feature_info: FeatureInfo[];
  input: DeployInput;
  /** the optional classification head (GlobalAveragePool → Flatten → Gemm `fc_linear`) */
  head: { classes: number } | null;
  /** the seed of the random weights */
  seed: number;
}

/**
 * The detection outputs, as the reference's `CnnNet(out_indices=(1, 2, 3, 4))` selects them: the
 * last blocks of stages 1–4 (§3.1), after their final activation.
 */
export function backboneFeatures(structure: Structure): FeatureInfo[] {
  const { idx } = stageInfo(structure);
  if (idx.length < 5) {
    throw new StructureError(
      `the deploy model needs at least 5 stages for its outputs C2–C5, but the structure has ${idx.length} (stride-2 blocks after the stem, plus one)`,
    );
  }
  return FEATURE_STAGES.map((stage) => {
    const block = idx[stage];
    return { name: `C${stage + 1}`, module: `block_list.${block}`, num_chs: structure[block].out, reduction: strideThrough(structure, block) };
  });
}

/** The sidecar of a deploy model; throws on a structure or option it cannot be built for. */
export function describeDeploy(structure: Structure, seed: number, head: { classes: number } | null): DeploySidecar {
  // the normal stream takes a 32-bit seed; wider values would silently alias
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed: found ${seed}, expected an integer from 0 to 4294967295`);
  if (head && (!Number.isInteger(head.classes) || head.classes < 1)) throw new RangeError(`head classes: found ${head.classes}, expected an integer ≥ 1`);
  return {
    format: SIDECAR_FORMAT,
    version: SIDECAR_VERSION,
    structure,
    params: params(structure),
    flops224: flopsAt(structure, 224),
    flops480: flopsAt(structure, 480),
    layers: layers(structure),
    feature_info: backboneFeatures(structure),
    input: {
      name: 'images',
      layout: 'NCHW',
      sizeMultiple: strideThrough(structure, structure.length - 1),
      colorOrder: 'RGB',
      mean: [123.675, 116.28, 103.53],
      std: [58.395, 57.12, 57.375],
    },
    head: head && { classes: head.classes },
    seed,
  };
}

/**
 * The sidecar as ONNX metadata_props: one entry per field, strings as they are, everything else
 * as JSON (so Netron and `onnx.load(...).metadata_props` show readable values).
 */
export function sidecarMetadata(sidecar: DeploySidecar): Record<string, string> {
  return Object.fromEntries(Object.entries(sidecar).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
}

/** Read a sidecar back from a model's metadata_props (the inverse of `sidecarMetadata`). */
export function sidecarFromMetadata(props: readonly { key: string; value: string }[]): DeploySidecar {
  const map = new Map(props.map((p) => [p.key, p.value]));
  if (map.get('format') !== SIDECAR_FORMAT) throw new Error(`not a ${SIDECAR_FORMAT} model (metadata format: ${JSON.stringify(map.get('format') ?? null)})`);
  const version = map.get('version');
  if (version !== String(SIDECAR_VERSION)) throw new Error(`unsupported ${SIDECAR_FORMAT} version ${version}; expected ${SIDECAR_VERSION}`);
  return Object.fromEntries([...map].map(([key, value]) => [key, key === 'format' ? value : JSON.parse(value)])) as unknown as DeploySidecar;
}

/** The sidecar file's text: one line per field, and per block / feature in the lists. */
export function sidecarJSON(sidecar: DeploySidecar): string {
  const fields = Object.entries(sidecar).map(([key, value]) => {
    const text = Array.isArray(value) ? `[\n${value.map((item) => `    ${JSON.stringify(item)}`).join(',\n')}\n  ]` : JSON.stringify(value);
    return `  ${JSON.stringify(key)}: ${text}`;
  });
  return `{\n${fields.join(',\n')}\n}\n`;
}
