// The ONNX deploy model (spec §7): every reference structure and mutants of all four search spaces
// load and run in ONNX Runtime with the C2–C5 shapes the reference's CnnNet returns; the weights
// are exactly the reference's state dict (names, parameter count); tiny networks of every block
// type, shortcut rule and activation compute what the reference's PyTorch modules compute.
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activation, Block, BlockClass, Structure } from '../../app/engine/block';
import { StructureError } from '../../app/engine/errors';
import { SIDECAR_VERSION, sidecarFromMetadata } from '../../app/engine/export/sidecar';
import { flopsAt, layers, params, stageInfo } from '../../app/engine/cost';
import { findReferenceNetwork } from '../../app/engine/referenceNetworks';
import { NormalStream } from '../../app/engine/normal';
import { deployModel, estimateOnnxBytes } from '../../app/engine/onnx/deploy';
import { decodeModel, type ModelMessage } from '../../app/engine/onnx/proto';
import { Rng } from '../../app/engine/rng';
import { smartRound } from '../../app/engine/rounding';
import { macroStructure } from '../../app/engine/benchmark/nasBenchMacro';
import { SPACES, type SpaceName } from '../../app/engine/spaces/index';
import { mutate } from '../../app/engine/spaces/mutate';

const FEATURES = ['C2', 'C3', 'C4', 'C5'];
/** batch 1, H × W */
const SIZES: [number, number][] = [
  [64, 64],
  [96, 128],
];

function image(h: number, w: number, seed = 5, channels = 3): ort.Tensor {
  return new ort.Tensor('float32', new NormalStream(seed).fill(new Float32Array(channels * h * w)), [1, channels, h, w]);
}

/** C2–C5 as the reference selects them: the last blocks of stages 1–4, and their total stride */
function expectedFeatures(structure: Structure): { block: number; channels: number; reduction: number }[] {
  const { idx } = stageInfo(structure);
  return idx.slice(1, 5).map((block) => ({ block, channels: structure[block].out, reduction: structure.slice(0, block + 1).reduce((r, b) => r * b.s, 1) }));
}

/** raw_data as floats (copied: the decoder's bytes may be an unaligned view into a shared buffer) */
function floats(raw: Uint8Array): Float32Array {
  return new Float32Array(new Uint8Array(raw).buffer);
}

// ---------------------------------------------------------------------------------------------
// Structures: the seven of the spec, and mutants of small seeds of every space
// ---------------------------------------------------------------------------------------------

const REFERENCE = ['maedet_s', 'maedet_m', 'maedet_l', 'r50_det_seed', 'cls_r18_like', 'cls_r50_like', 'cls_r152_like'];

const stem = (out: number): Block => ({ class: 'ConvKXBNRELU', in: 3, out, s: 2, k: 3 });
const superBlock = (cls: BlockClass, cin: number, out: number, s: 1 | 2, L: number, btn: number, k = 3): Block => ({ class: cls, in: cin, out, s, k, L, btn });

/** the R50 seed's shape (six blocks, block 4 at stride 1) at a quarter of its width, so mutants stay quick */
function smallSeed(cls: BlockClass): Structure {
  return [stem(16), superBlock(cls, 16, 64, 2, 1, 16), superBlock(cls, 64, 128, 2, 1, 32), superBlock(cls, 128, 192, 2, 1, 64), superBlock(cls, 192, 256, 1, 1, 64), superBlock(cls, 256, 512, 2, 1, 128)];
}

/** MobileNetV2-like, ending with the 1×1 ConvKXBNRELU that space_k1dwk1 expects */
const k1dwk1Seed: Structure = [
  stem(16),
  superBlock('SuperResK1DWK1', 16, 24, 2, 1, 72),
  superBlock('SuperResK1DWK1', 24, 32, 2, 2, 96),
  superBlock('SuperResK1DWK1', 32, 64, 2, 2, 192),
  superBlock('SuperResK1DWK1', 64, 96, 1, 1, smartRound(96 * 3)),
  superBlock('SuperResK1DWK1', 96, 160, 2, 1, 480),
  { class: 'ConvKXBNRELU', in: 160, out: 640, s: 1, k: 1 },
];

const SEEDS: Record<Exclude<SpaceName, 'macro'>, Structure> = {
  k1kxk1: smallSeed('SuperResK1KXK1'),
  kxkx: smallSeed('SuperResKXKX'),
  k1kx: smallSeed('SuperResK1KX'),
  k1dwk1: k1dwk1Seed,
};

/**
 * NAS-Bench-Macro's blocks (Identity, SuperInvertedResidual) in a network with a fifth stage, so
 * the deploy model has its C2–C5: a benchmark network, then an inverted residual of two inners
 * (the second with its identity shortcut) at stride 2, a kept-shape identity and the head.
 */
const withFifthStage = (code: string): Structure => [
  ...macroStructure(code).slice(0, -1),
  { class: 'SuperInvertedResidual', in: 256, out: 320, s: 2, k: 3, L: 2, btn: 768 },
  { class: 'Identity', in: 320, out: 320, s: 1, k: 1 },
  { class: 'ConvKXBNRELU', in: 320, out: 1280, s: 1, k: 1 },
];

/** `count` distinct structures of one lineage (each child the parent of the next), so they drift apart */
function lineage(space: keyof typeof SEEDS, count: number): Structure[] {
  const rng = Rng.fromSeed(11);
  const options = { space: SPACES[space], imageSize: 480, budgetLayers: 60, draw: 'inclusive' as const, blocksPerChild: 2, excludeStem: false, minor: false };
  const seed = JSON.stringify(SEEDS[space]);
  const seen = new Map<string, Structure>();
  for (let parent = SEEDS[space]; seen.size < count; ) {
    parent = mutate(parent, rng, options);
    const key = JSON.stringify(parent);
    if (key !== seed) seen.set(key, parent);
  }
  return [...seen.values()];
}

/** a structure whose stem takes `channels` input channels (12: DAMO-YOLO's space-to-depth front) */
const withStemChannels = (structure: Structure, channels: number): Structure => structure.map((b, i) => (i === 0 ? { ...b, in: channels } : b));

const CASES: [string, Structure][] = [
  ...REFERENCE.map((name): [string, Structure] => [name, findReferenceNetwork(name)!.structure]),
  ...[1, 4, 12].map((channels): [string, Structure] => [`k1kxk1 seed with a ${channels}-channel stem`, withStemChannels(SEEDS.k1kxk1, channels)]),
  ['MAE-DET-S with a 12-channel stem', withStemChannels(findReferenceNetwork('maedet_s')!.structure, 12)],
  // every layer choice of the benchmark appears, at both strides
  ...['01220121', '20102012'].map((code): [string, Structure] => [`NAS-Bench-Macro ${code} with a fifth stage`, withFifthStage(code)]),
  ...(Object.keys(SEEDS) as (keyof typeof SEEDS)[]).flatMap((space) => lineage(space, 6).map((s, i): [string, Structure] => [`${space} mutant ${i + 1}`, s])),
];

describe.each(CASES)('%s', (_name, structure) => {
  let bytes: Uint8Array;
  let model: ModelMessage;
  let sidecar: ReturnType<typeof deployModel>['sidecar'];

  beforeAll(() => {
    ({ bytes, sidecar } = deployModel(structure, { seed: 3 }));
    model = decodeModel(bytes);
  });
  afterAll(() => {
    // the large models should not stay alive for the rest of the file
    bytes = new Uint8Array();
    model = undefined as unknown as ModelMessage;
  });

  it('runs in ONNX Runtime at 64×64 and 96×128 with the C2–C5 names and shapes', async () => {
    const session = await ort.InferenceSession.create(bytes);
    try {
      expect(session.inputNames).toEqual(['images']);
      expect(session.outputNames).toEqual(FEATURES);
      for (const [h, w] of SIZES) {
        const out = await session.run({ images: image(h, w, 5, structure[0].in) });
        expect(FEATURES.map((n) => out[n].dims)).toEqual(expectedFeatures(structure).map((f) => [1, f.channels, h / f.reduction, w / f.reduction]));
        for (const n of FEATURES) expect((out[n].data as Float32Array).every(Number.isFinite)).toBe(true);
      }
    } finally {
      await session.release();
    }
  });

  it("declares dynamic N, H, W, the stem's channels and the feature dims", () => {
    const dims = (v: ModelMessage['graph']['input'][number]) => v.type.tensorType.shape.dim.map((d) => ('dimParam' in d && d.dimParam ? d.dimParam : (d as { dimValue: number }).dimValue));
    expect(model.graph.input.map(dims)).toEqual([['N', structure[0].in, 'H', 'W']]);
    expect(model.graph.output.map(dims)).toEqual(expectedFeatures(structure).map((f) => ['N', f.channels, `H/${f.reduction}`, `W/${f.reduction}`]));
  });

  it("conv weights + BN γ, β add up to the engine's params; BN running stats come with them", () => {
    const elements = (suffix: string) => model.graph.initializer.filter((t) => t.name.endsWith(suffix)).reduce((n, t) => n + t.dims.reduce((a, b) => a * b, 1), 0);
    expect(elements('.conv1.weight') + elements('.bn1.weight') + elements('.bn1.bias')).toBe(params(structure));
    expect(elements('.bn1.running_mean')).toBe(elements('.bn1.weight'));
    expect(elements('.bn1.running_var')).toBe(elements('.bn1.weight'));
  });

  it('carries the sidecar in metadata_props, and the estimate is the size to a few bytes', () => {
    expect(sidecarFromMetadata(model.metadataProps)).toEqual(sidecar);
    expect(sidecar.input.channels).toBe(structure[0].in);
    expect(sidecar.input.mean).toHaveLength(sidecar.input.fromImage === 'custom' ? 0 : structure[0].in);
    expect(sidecar).toMatchObject({ format: 'maedet-studio-backbone', version: SIDECAR_VERSION, params: params(structure), flops224: flopsAt(structure, 224), flops480: flopsAt(structure, 480), layers: layers(structure), seed: 3, head: null });
    expect(sidecar.feature_info).toEqual(expectedFeatures(structure).map((f, i) => ({ name: FEATURES[i], module: `block_list.${f.block}`, num_chs: f.channels, reduction: f.reduction })));
    expect(Math.abs(estimateOnnxBytes(structure) - bytes.length)).toBeLessThanOrEqual(8);
  });
});

describe('deploy model', () => {
  const seedNet = findReferenceNetwork('r50_det_seed')!.structure;
  let maedetS: ModelMessage;
  beforeAll(() => {
    maedetS = decodeModel(deployModel(findReferenceNetwork('maedet_s')!.structure).bytes);
  });

  it('the same seed gives the same bytes; another seed other weights only', () => {
    const a = deployModel(seedNet, { seed: 1 }).bytes;
    expect(Buffer.from(deployModel(seedNet, { seed: 1 }).bytes).equals(Buffer.from(a))).toBe(true);
    const b = deployModel(seedNet, { seed: 2 }).bytes;
    expect(Buffer.from(b).equals(Buffer.from(a))).toBe(false);
    const [ma, mb] = [decodeModel(a), decodeModel(b)];
    expect(mb.graph.node).toEqual(ma.graph.node);
    expect(mb.graph.initializer.map((t) => t.name)).toEqual(ma.graph.initializer.map((t) => t.name));
  });

  it('names the MAE-DET-S state-dict keys as spec §7.1 lists them', () => {
    const names = new Set(maedetS.graph.initializer.map((t) => t.name));
    for (const key of [
      'block_list.0.conv1.weight',
      'block_list.0.bn1.running_var',
      'block_list.1.block_list.0.conv1.conv1.weight',
      'block_list.1.block_list.0.conv2.bn1.weight',
      'block_list.1.block_list.0.residual_proj.conv1.weight',
      'block_list.4.block_list.9.conv3.bn1.bias',
    ]) {
      expect(names).toContain(key);
    }
    // inner blocks ≥ 1 of K1KXK1 have identity shortcuts
    expect(names).not.toContain('block_list.1.block_list.1.residual_proj.conv1.weight');
  });

  it('weights are Kaiming-normal (fan_out, ReLU) and BN is the identity statistics', () => {
    const tensor = (name: string) => floats(maedetS.graph.initializer.find((t) => t.name === name)!.rawData);
    // 1×1 conv 1024 → 240: std √(2 / 240)
    const w = tensor('block_list.4.block_list.3.conv1.conv1.weight');
    const std = Math.sqrt(w.reduce((s, x) => s + x * x, 0) / w.length);
    expect(std / Math.sqrt(2 / 240)).toBeCloseTo(1, 2);
    expect([...tensor('block_list.4.block_list.3.conv1.bn1.weight')].every((x) => x === 1)).toBe(true);
    expect([...tensor('block_list.4.block_list.3.conv1.bn1.running_mean')].every((x) => x === 0)).toBe(true);
  });

  it('a classification head adds logits [N, classes] from fc_linear', async () => {
    const { bytes, sidecar } = deployModel(seedNet, { head: { classes: 10 } });
    expect(sidecar.head).toEqual({ classes: 10 });
    const model = decodeModel(bytes);
    expect(model.graph.initializer.filter((t) => t.name.startsWith('fc_linear')).map((t) => [t.name, t.dims])).toEqual([
      ['fc_linear.weight', [10, 2048]],
      ['fc_linear.bias', [10]],
    ]);
    expect(Math.abs(estimateOnnxBytes(seedNet, { classes: 10 }) - bytes.length)).toBeLessThanOrEqual(8);
    const session = await ort.InferenceSession.create(bytes);
    expect(session.outputNames).toEqual([...FEATURES, 'logits']);
    expect((await session.run({ images: image(64, 96) })).logits.dims).toEqual([1, 10]);
    await session.release();
  });

  it('a structure with fewer than 5 stages is refused, naming the problem', () => {
    const fourStages = findReferenceNetwork('maedet_s')!.structure.slice(0, 4);
    expect(() => deployModel(fourStages)).toThrow(StructureError);
    expect(() => deployModel(fourStages)).toThrow('the deploy model needs at least 5 stages for its outputs C2–C5, but the structure has 4');
    expect(() => estimateOnnxBytes(fourStages)).toThrow('at least 5 stages');
  });

  it('refuses a seed the weight stream cannot take and a bad class count', () => {
    expect(() => deployModel(seedNet, { seed: -1 })).toThrow('seed: found -1');
    expect(() => deployModel(seedNet, { seed: 2 ** 32 })).toThrow('expected an integer from 0 to 4294967295');
    expect(() => deployModel(seedNet, { head: { classes: 0 } })).toThrow('head classes: found 0');
  });
});

// ---------------------------------------------------------------------------------------------
// Numerics: the reference's PyTorch deploy modules, transcribed from tinynas/deploy/cnnnet
// ---------------------------------------------------------------------------------------------

/** one image's feature map [C, H, W] */
interface Map3 {
  c: number;
  h: number;
  w: number;
  v: Float64Array;
}

/** the state dict, remembering which keys the forward pass read */
class StateDict {
  readonly read = new Set<string>();
  constructor(private readonly tensors: Map<string, Float32Array>) {}
  get(key: string): Float32Array {
    const t = this.tensors.get(key);
    if (!t) throw new Error(`missing state-dict key ${key}`);
    this.read.add(key);
    return t;
  }
}

function conv2d(x: Map3, weight: Float32Array, cout: number, k: number, s: number, p: number, g: number): Map3 {
  const h = Math.floor((x.h + 2 * p - k) / s) + 1;
  const w = Math.floor((x.w + 2 * p - k) / s) + 1;
  const cinG = x.c / g;
  const coutG = cout / g;
  expect(weight.length).toBe(cout * cinG * k * k);
  const v = new Float64Array(cout * h * w);
  for (let o = 0; o < cout; o++) {
    const group = Math.floor(o / coutG);
    for (let ic = 0; ic < cinG; ic++) {
      const xc = group * cinG + ic;
      for (let ky = 0; ky < k; ky++) {
        for (let kx = 0; kx < k; kx++) {
          const wt = weight[((o * cinG + ic) * k + ky) * k + kx];
          for (let oy = 0; oy < h; oy++) {
            const iy = oy * s - p + ky;
            if (iy < 0 || iy >= x.h) continue;
            for (let ox = 0; ox < w; ox++) {
              const ix = ox * s - p + kx;
              if (ix >= 0 && ix < x.w) v[(o * h + oy) * w + ox] += wt * x.v[(xc * x.h + iy) * x.w + ix];
            }
          }
        }
      }
    }
  }
  return { c: cout, h, w, v };
}

function map(x: Map3, f: (value: number, channel: number) => number): Map3 {
  const hw = x.h * x.w;
  return { ...x, v: x.v.map((value, i) => f(value, Math.floor(i / hw))) };
}

const ACTIVATION: Record<Activation, (x: number) => number> = {
  relu: (x) => Math.max(0, x),
  relu6: (x) => Math.min(Math.max(0, x), 6),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  swish: (x) => x / (1 + Math.exp(-x)),
  learkyrelu: (x) => (x < 0 ? 0.01 * x : x),
};

/** ConvKXBN: conv1 (no bias) → bn1 (eval mode, eps 1e-5) */
function convKXBN(sd: StateDict, module: string, x: Map3, cout: number, k: number, s: number, p: number, g: number): Map3 {
  const y = conv2d(x, sd.get(`${module}.conv1.weight`), cout, k, s, p, g);
  const [gamma, beta, mean, variance] = ['weight', 'bias', 'running_mean', 'running_var'].map((key) => sd.get(`${module}.bn1.${key}`));
  return map(y, (value, c) => ((value - mean[c]) / Math.sqrt(variance[c] + 1e-5)) * gamma[c] + beta[c]);
}

function avgPool2(x: Map3): Map3 {
  const h = Math.floor(x.h / 2);
  const w = Math.floor(x.w / 2);
  const v = new Float64Array(x.c * h * w);
  for (let c = 0; c < x.c; c++)
    for (let y = 0; y < h; y++)
      for (let xx = 0; xx < w; xx++) {
        const at = (dy: number, dx: number) => x.v[(c * x.h + 2 * y + dy) * x.w + 2 * xx + dx];
        v[(c * h + y) * w + xx] = (at(0, 0) + at(0, 1) + at(1, 0) + at(1, 1)) / 4;
      }
  return { c: x.c, h, w, v };
}

/** ResK1KXK1 / ResKXKX / ResK1KX / ResK1DWK1 `forward` */
function innerForward(sd: StateDict, cls: BlockClass, m: string, x: Map3, o: { cin: number; cout: number; s: number; k: number; p: number; g: number; btn: number; forceResproj: boolean }, act: (x: number) => number): Map3 {
  const a = (y: Map3) => map(y, act);
  const { cin, cout, s, k, p, g, btn } = o;
  let main: Map3;
  if (cls === 'SuperResK1KXK1') main = convKXBN(sd, `${m}.conv3`, a(convKXBN(sd, `${m}.conv2`, a(convKXBN(sd, `${m}.conv1`, x, btn, 1, 1, 0, g)), btn, k, s, p, g)), cout, 1, 1, 0, g);
  else if (cls === 'SuperResKXKX') main = convKXBN(sd, `${m}.conv2`, a(convKXBN(sd, `${m}.conv1`, x, btn, k, 1, p, g)), cout, k, s, p, g);
  else if (cls === 'SuperResK1KX') main = convKXBN(sd, `${m}.conv2`, a(convKXBN(sd, `${m}.conv1`, x, btn, 1, 1, 0, g)), cout, k, s, p, g);
  else main = convKXBN(sd, `${m}.conv3`, a(convKXBN(sd, `${m}.conv2`, a(convKXBN(sd, `${m}.conv1`, x, btn, 1, 1, 0, g)), btn, k, s, p, btn)), cout, 1, 1, 0, g);
  // K1DWK1: identity if cin == cout, projection only if forced, otherwise no residual link
  const isReslink = cls !== 'SuperResK1DWK1' || cin === cout || o.forceResproj;
  if (!isReslink) return a(main);
  const projection = cls === 'SuperResK1DWK1' ? cin !== cout : cin !== cout || o.forceResproj;
  let reslink = s === 2 ? avgPool2(x) : x;
  if (projection) reslink = convKXBN(sd, `${m}.residual_proj`, reslink, cout, 1, 1, 0, 1);
  return a({ ...main, v: main.v.map((value, i) => value + reslink.v[i]) });
}

/** CnnNet.forward: C2–C5 (out_indices 1–4 of the stage indices), and logits with fc_linear */
function referenceForward(structure: Structure, sd: StateDict, image: Map3, classes: number | undefined): Record<string, Float64Array> {
  const outputs: Record<string, Float64Array> = {};
  const picked = stageInfo(structure).idx.slice(1, 5);
  let x = image;
  structure.forEach((b, i) => {
    const act = ACTIVATION[b.act ?? 'relu'];
    const p = b.p ?? Math.floor((b.k - 1) / 2);
    const g = b.g ?? 1;
    if (b.class === 'ConvKXBNRELU') x = map(convKXBN(sd, `block_list.${i}`, x, b.out, b.k, b.s, p, g), act);
    else {
      for (let j = 0; j < b.L!; j++) {
        const o = { cin: j === 0 ? b.in : b.out, cout: b.out, s: j === 0 ? b.s : 1, k: b.k, p, g, btn: b.btn!, forceResproj: j === 0 && b.class === 'SuperResK1KXK1' };
        x = innerForward(sd, b.class, `block_list.${i}.block_list.${j}`, x, o, act);
      }
    }
    if (picked.includes(i)) outputs[FEATURES[picked.indexOf(i)]] = x.v;
  });
  if (classes !== undefined) {
    const weight = sd.get('fc_linear.weight');
    const bias = sd.get('fc_linear.bias');
    const hw = x.h * x.w;
    const pooled = Array.from({ length: x.c }, (_, c) => x.v.subarray(c * hw, (c + 1) * hw).reduce((s, v) => s + v, 0) / hw);
    outputs.logits = Float64Array.from({ length: classes }, (_, o) => pooled.reduce((s, v, c) => s + weight[o * x.c + c] * v, bias[o]));
  }
  return outputs;
}

/** tiny networks of every block type: forced and plain projections, identity shortcuts with and without pooling, groups, every activation */
const TINY: [string, Structure, number | undefined][] = [
  [
    'K1KXK1, groups, relu, head',
    [stem(8), { ...superBlock('SuperResK1KXK1', 8, 16, 2, 2, 8), k: 5 }, superBlock('SuperResK1KXK1', 16, 16, 2, 1, 8), superBlock('SuperResK1KXK1', 16, 24, 1, 2, 8), { ...superBlock('SuperResK1KXK1', 24, 32, 2, 1, 8), g: 2 }, superBlock('SuperResK1KXK1', 32, 32, 2, 2, 16)],
    7,
  ],
  [
    'KXKX, relu6',
    [{ ...stem(8), act: 'relu6' }, ...[[8, 8], [8, 16], [16, 16], [16, 24]].map(([cin, out]) => ({ ...superBlock('SuperResKXKX', cin, out, 2, 2, 8), act: 'relu6' as const }))],
    undefined,
  ],
  [
    'K1KX, swish and sigmoid',
    [{ ...stem(8), act: 'sigmoid' }, ...[[8, 16], [16, 16], [16, 16], [16, 24]].map(([cin, out]) => ({ ...superBlock('SuperResK1KX', cin, out, 2, 2, 8), act: 'swish' as const }))],
    undefined,
  ],
  [
    'K1DWK1 (no link, identity, identity after a pool), leaky ReLU',
    [
      stem(8),
      { ...superBlock('SuperResK1DWK1', 8, 8, 2, 2, 16), act: 'learkyrelu' },
      superBlock('SuperResK1DWK1', 8, 16, 2, 2, 24, 5),
      superBlock('SuperResK1DWK1', 16, 16, 2, 1, 32),
      superBlock('SuperResK1DWK1', 16, 24, 2, 3, 48),
      { class: 'ConvKXBNRELU', in: 24, out: 40, s: 1, k: 1 },
    ],
    5,
  ],
];

describe.each(TINY)('%s computes the reference forward pass', (_name, structure, classes) => {
  it.each([
    [32, 32],
    [64, 32],
  ])('at %i×%i', async (h, w) => {
    const { bytes } = deployModel(structure, { seed: 9, head: classes === undefined ? undefined : { classes } });
    const model = decodeModel(bytes);
    const sd = new StateDict(new Map(model.graph.initializer.map((t) => [t.name, floats(t.rawData)])));
    const input = image(h, w, 21);
    const expected = referenceForward(structure, sd, { c: 3, h, w, v: Float64Array.from(input.data as Float32Array) }, classes);
    // every initializer is a state-dict key the reference reads, and it reads no other
    expect([...sd.read].sort()).toEqual(model.graph.initializer.map((t) => t.name).sort());

    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ images: input });
    await session.release();
    expect(Object.keys(out)).toEqual(Object.keys(expected));
    for (const [name, want] of Object.entries(expected)) {
      const got = out[name].data as Float32Array;
      expect(got.length).toBe(want.length);
      const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      const error = want.reduce((m, v, i) => Math.max(m, Math.abs(v - got[i])), 0);
      expect(error).toBeLessThanOrEqual(1e-4 * Math.max(1, scale));
    }
  });
});
