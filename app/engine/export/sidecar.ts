/**
 * The description that travels with a deploy model, both in the ONNX file's metadata_props and
 * as a JSON file beside it: what a consumer needs to wire the backbone into a detector (timm-style
 * `feature_info`, input normalisation) and to reproduce it (structure, seed), plus the engine's
 * cost numbers for the same structure.
 */
import type { Structure } from '../block';
import { ConfigError, describeValue, StructureError } from '../errors';
import { upgrade, type FormatVersions } from '../migrate';
import { flopsAt, layers, params, stageInfo, strideThrough } from '../cost';

const SIDECAR_FORMAT = 'maedet-studio-backbone';
/** 2: the input declares its channels (the stem's) and how an RGB image becomes the input */
export const SIDECAR_VERSION = 2;
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

/**
 * How an RGB image becomes the model's input: as it is (3 channels); averaged to one grey channel
 * (1); space-to-depth, each 2×2 block of RGB pixels stacked on the channels (12, the Focus front
 * of YOLOv5 and DAMO-YOLO's structures; the input is then half the image's side); or, for any
 * other count, not known: the caller supplies the channels the stem was designed for.
 */
type ImageToInput = 'rgb' | 'grey' | 'space-to-depth-2' | 'custom';

/** The model input and the detector pre-processing it expects (spec §7.3, the GFL configs). */
interface DeployInput {
  name: string;
  layout: 'NCHW';
  /** the stem's input channels (the structure's first 'in') */
  channels: number;
  fromImage: ImageToInput;
  /** the same, for people */
  fromImageText: string;
  /** H and W must be multiples of this (every stride-2 block halves the side exactly) */
  sizeMultiple: number;
  colorOrder: 'RGB';
  /** `(value − mean) / std` per input channel, on pixel values 0–255 (empty for a custom input) */
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

/** the detectors' RGB normalisation (mmdetection / TinyNAS configs), per channel on 0–255 */
const RGB_MEAN = [123.675, 116.28, 103.53];
const RGB_STD = [58.395, 57.12, 57.375];

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** what an input of `channels` channels is made from, and its normalisation */
function inputFrom(channels: number): Pick<DeployInput, 'channels' | 'fromImage' | 'fromImageText' | 'mean' | 'std'> {
  if (channels === 3) return { channels, fromImage: 'rgb', fromImageText: 'the RGB image as it is', mean: [...RGB_MEAN], std: [...RGB_STD] };
  if (channels === 1) return { channels, fromImage: 'grey', fromImageText: 'one grey channel: the mean of R, G and B', mean: [mean(RGB_MEAN)], std: [mean(RGB_STD)] };
  if (channels === 12) {
    return {
      channels,
      fromImage: 'space-to-depth-2',
      fromImageText:
        'space-to-depth by 2 (Focus): x[..., ::2, ::2], x[..., 1::2, ::2], x[..., ::2, 1::2], x[..., 1::2, 1::2] of the normalised RGB image, concatenated on the channels; H and W are half the image’s',
      mean: [0, 1, 2, 3].flatMap(() => RGB_MEAN),
      std: [0, 1, 2, 3].flatMap(() => RGB_STD),
    };
  }
  return { channels, fromImage: 'custom', fromImageText: `${channels} channels, as the stem was designed for; no conversion from an RGB image is known`, mean: [], std: [] };
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
      ...inputFrom(structure[0].in),
      sizeMultiple: strideThrough(structure, structure.length - 1),
      colorOrder: 'RGB',
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

/** the sidecar's versions: version 1 took 3-channel RGB input only */
export const SIDECAR_VERSIONS: FormatVersions = {
  name: 'sidecar',
  current: SIDECAR_VERSION,
  steps: { 1: (v1) => ({ ...v1, input: { ...(v1.input as object), ...inputFrom(3) } }) },
};

/** a sidecar as parsed (any version this code reads), as the current version */
function readSidecarObject(raw: unknown): DeploySidecar {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError('sidecar', `found ${describeValue(raw)}, expected a sidecar object`);
  const record = raw as Record<string, unknown>;
  if (record.format !== SIDECAR_FORMAT) throw new ConfigError('format', `found ${describeValue(record.format)}, expected "${SIDECAR_FORMAT}"`);
  return upgrade(SIDECAR_VERSIONS, record) as unknown as DeploySidecar;
}

/** Read a sidecar file (`PATH.json` beside a model), migrating older versions. */
export function readSidecar(text: string): DeploySidecar {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError('sidecar', `not a JSON sidecar (${(e as Error).message})`);
  }
  return readSidecarObject(raw);
}

/** Read a sidecar back from a model's metadata_props (the inverse of `sidecarMetadata`), migrating older versions. */
export function sidecarFromMetadata(props: readonly { key: string; value: string }[]): DeploySidecar {
  return readSidecarObject(Object.fromEntries(props.map(({ key, value }) => [key, key === 'format' ? value : JSON.parse(value)])));
}

/** The sidecar file's text: one line per field, and per block / feature in the lists. */
export function sidecarJSON(sidecar: DeploySidecar): string {
  const fields = Object.entries(sidecar).map(([key, value]) => {
    const text = Array.isArray(value) ? `[\n${value.map((item) => `    ${JSON.stringify(item)}`).join(',\n')}\n  ]` : JSON.stringify(value);
    return `  ${JSON.stringify(key)}: ${text}`;
  });
  return `{\n${fields.join(',\n')}\n}\n`;
}
