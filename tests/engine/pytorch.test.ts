// The PyTorch export (spec §2, §7): the state-dict keys and shapes of the reference deploy model
// (tinynas/deploy/cnnnet), and a generated .py that is valid Python, imports only torch and
// embeds the structure. There is no torch here: the generated modules are run by
// tests/python/check_pytorch_export.py on fixtures the last test writes when asked to.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Structure } from '../../app/engine/block';
import { StructureError } from '../../app/engine/errors';
import { backboneFeatures } from '../../app/engine/export/sidecar';
import { stateDictShapes, toPyTorchModule, type StateDictEntry } from '../../app/engine/export/pytorch';
import { params, stageInfo } from '../../app/engine/cost';
import { findReferenceNetwork } from '../../app/engine/referenceNetworks';
import { deployModel } from '../../app/engine/onnx/deploy';
import { decodeModel } from '../../app/engine/onnx/proto';
import { parseStructure } from '../../app/engine/structure';

const SPEC_NETS = ['maedet_s', 'maedet_m', 'maedet_l', 'r50_det_seed', 'cls_r18_like', 'cls_r50_like', 'cls_r152_like'];
const net = (name: string) => findReferenceNetwork(name)!.structure;

/**
 * Every block class, with groups, a depthwise conv, non-ReLU activations and each shortcut case:
 * KXKX in≠out (projection), K1KX in==out at stride 2 (pool only), K1DWK1 in≠out (no shortcut),
 * K1KXK1 in==out (forced projection), a 1×1 ConvKXBNRELU at the end.
 */
const MIXED: Structure = [
  { class: 'ConvKXBNRELU', in: 3, out: 16, s: 2, k: 3, act: 'swish' },
  { class: 'SuperResKXKX', in: 16, out: 24, s: 2, k: 3, L: 2, btn: 16 },
  { class: 'SuperResK1KX', in: 24, out: 24, s: 2, k: 5, L: 2, btn: 32, g: 4 },
  { class: 'SuperResK1DWK1', in: 24, out: 40, s: 2, k: 5, L: 3, btn: 96, act: 'learkyrelu' },
  { class: 'SuperResK1KXK1', in: 40, out: 40, s: 2, k: 3, L: 2, btn: 32, g: 2 },
  { class: 'ConvKXBNRELU', in: 40, out: 64, s: 1, k: 1 },
];

/** a structure whose stem takes `channels` input channels (12: DAMO-YOLO's space-to-depth front) */
const withStemChannels = (structure: Structure, channels: number): Structure => structure.map((b, i) => (i === 0 ? { ...b, in: channels } : b));

const shapes = (entries: readonly StateDictEntry[]) => new Map(entries.map((e) => [e.key, e.shape]));
const elements = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** the six state-dict entries of one TinyNAS ConvKXBN module (conv1 + bn1), in PyTorch's order */
function convBnKeys(module: string, weight: number[]): [string, number[]][] {
  const c = [weight[0]];
  return [
    [`${module}.conv1.weight`, weight],
    [`${module}.bn1.weight`, c],
    [`${module}.bn1.bias`, c],
    [`${module}.bn1.running_mean`, c],
    [`${module}.bn1.running_var`, c],
    [`${module}.bn1.num_batches_tracked`, []],
  ];
}

describe('stateDictShapes', () => {
  it.each(SPEC_NETS)("%s: conv weights + BN γ, β add up to the engine's params; 6 keys per ConvKXBN", (name) => {
    const s = net(name);
    const entries = stateDictShapes(s);
    const trainable = entries.filter((e) => e.trainable);
    expect(trainable.every((e) => /\.(conv1\.weight|bn1\.weight|bn1\.bias)$/.test(e.key))).toBe(true);
    expect(trainable.reduce((sum, e) => sum + elements(e.shape), 0)).toBe(params(s));
    // stem + 3 convs per inner block + the projection of each super block's inner 0 (all K1KXK1)
    const superBlocks = s.filter((b) => b.L !== undefined);
    const convModules = 1 + 3 * superBlocks.reduce((sum, b) => sum + b.L!, 0) + superBlocks.length;
    expect(entries).toHaveLength(6 * convModules);
    expect(new Set(entries.map((e) => e.key)).size).toBe(entries.length);
  });

  it('maedet_s: keys and shapes read off the reference deploy code', () => {
    const entries = stateDictShapes(net('maedet_s'));
    // ConvKXBN registers conv1 then bn1; BatchNorm2d's weight, bias, then its three buffers
    expect(entries.slice(0, 12).map((e) => [e.key, e.shape])).toEqual([
      ...convBnKeys('block_list.0', [32, 3, 3, 3]),
      ...convBnKeys('block_list.1.block_list.0.conv1', [32, 32, 1, 1]),
    ]);
    const got = shapes(entries);
    const expected: [string, number[]][] = [
      ['block_list.1.block_list.0.conv2.conv1.weight', [32, 32, 5, 5]],
      ['block_list.1.block_list.0.conv3.conv1.weight', [48, 32, 1, 1]],
      ['block_list.1.block_list.0.conv3.bn1.running_var', [48]],
      ['block_list.1.block_list.0.residual_proj.conv1.weight', [48, 32, 1, 1]],
      ['block_list.1.block_list.0.residual_proj.bn1.bias', [48]],
      ['block_list.1.block_list.1.conv1.conv1.weight', [32, 48, 1, 1]],
      ['block_list.2.block_list.3.conv2.conv1.weight', [120, 120, 3, 3]],
      ['block_list.3.block_list.0.residual_proj.conv1.weight', [1024, 272, 1, 1]],
      ['block_list.4.block_list.9.conv3.conv1.weight', [2048, 240, 1, 1]],
    ];
    for (const [key, shape] of expected) expect(got.get(key), key).toEqual(shape);
    // only inner 0 projects; the others have identity shortcuts (no state)
    expect(got.has('block_list.1.block_list.1.residual_proj.conv1.weight')).toBe(false);
    expect(entries.filter((e) => e.key.includes('residual_proj'))).toHaveLength(4 * 6);
    expect(entries[entries.length - 1].key).toBe('block_list.4.block_list.9.conv3.bn1.num_batches_tracked');
  });

  it('R18-like block 4 (512 → 512): inner 0 of K1KXK1 still has its projection', () => {
    const got = shapes(stateDictShapes(net('cls_r18_like')));
    expect(got.get('block_list.4.block_list.0.residual_proj.conv1.weight')).toEqual([512, 512, 1, 1]);
    expect(got.get('block_list.5.block_list.0.residual_proj.conv1.weight')).toEqual([512, 512, 1, 1]);
  });

  it('every block class: the whole key list, derived by hand', () => {
    const expected: [string, number[]][] = [
      ...convBnKeys('block_list.0', [16, 3, 3, 3]),
      // KXKX: k×k then k×k; 16 → 24 projects, inner 1 keeps 24 channels
      ...convBnKeys('block_list.1.block_list.0.conv1', [16, 16, 3, 3]),
      ...convBnKeys('block_list.1.block_list.0.conv2', [24, 16, 3, 3]),
      ...convBnKeys('block_list.1.block_list.0.residual_proj', [24, 16, 1, 1]),
      ...convBnKeys('block_list.1.block_list.1.conv1', [16, 24, 3, 3]),
      ...convBnKeys('block_list.1.block_list.1.conv2', [24, 16, 3, 3]),
      // K1KX with g=4: weights hold cin/g input channels; 24 → 24 needs no projection
      ...convBnKeys('block_list.2.block_list.0.conv1', [32, 6, 1, 1]),
      ...convBnKeys('block_list.2.block_list.0.conv2', [24, 8, 5, 5]),
      ...convBnKeys('block_list.2.block_list.1.conv1', [32, 6, 1, 1]),
      ...convBnKeys('block_list.2.block_list.1.conv2', [24, 8, 5, 5]),
      // K1DWK1: depthwise conv2; 24 → 40 has no shortcut at all, 40 → 40 an identity one
      ...convBnKeys('block_list.3.block_list.0.conv1', [96, 24, 1, 1]),
      ...convBnKeys('block_list.3.block_list.0.conv2', [96, 1, 5, 5]),
      ...convBnKeys('block_list.3.block_list.0.conv3', [40, 96, 1, 1]),
      ...[1, 2].flatMap((j) => [
        ...convBnKeys(`block_list.3.block_list.${j}.conv1`, [96, 40, 1, 1]),
        ...convBnKeys(`block_list.3.block_list.${j}.conv2`, [96, 1, 5, 5]),
        ...convBnKeys(`block_list.3.block_list.${j}.conv3`, [40, 96, 1, 1]),
      ]),
      // K1KXK1 with g=2: inner 0 projects although 40 == 40; the projection is never grouped
      ...convBnKeys('block_list.4.block_list.0.conv1', [32, 20, 1, 1]),
      ...convBnKeys('block_list.4.block_list.0.conv2', [32, 16, 3, 3]),
      ...convBnKeys('block_list.4.block_list.0.conv3', [40, 16, 1, 1]),
      ...convBnKeys('block_list.4.block_list.0.residual_proj', [40, 40, 1, 1]),
      ...convBnKeys('block_list.4.block_list.1.conv1', [32, 20, 1, 1]),
      ...convBnKeys('block_list.4.block_list.1.conv2', [32, 16, 3, 3]),
      ...convBnKeys('block_list.4.block_list.1.conv3', [40, 16, 1, 1]),
      ...convBnKeys('block_list.5', [64, 40, 1, 1]),
    ];
    const entries = stateDictShapes(MIXED);
    expect(entries.map((e) => [e.key, e.shape])).toEqual(expected);
    expect(entries.filter((e) => e.trainable).reduce((sum, e) => sum + elements(e.shape), 0)).toBe(params(MIXED));
  });

  it('a head adds fc_linear (nn.Linear: weight [classes, in], bias) last', () => {
    const entries = stateDictShapes(net('maedet_s'), { classes: 1000 });
    expect(entries.slice(-2)).toEqual([
      { key: 'fc_linear.weight', shape: [1000, 2048], trainable: true },
      { key: 'fc_linear.bias', shape: [1000], trainable: true },
    ]);
    expect(entries.slice(0, -2)).toEqual(stateDictShapes(net('maedet_s')));
  });

  it.each([
    ['r50_det_seed', net('r50_det_seed'), { classes: 10 }],
    ['every block class', MIXED, undefined],
    ...[1, 3, 4, 12].map((channels) => [`MAE-DET-S with a ${channels}-channel stem`, withStemChannels(net('maedet_s'), channels), undefined] as const),
  ] as const)('%s: the ONNX deploy graph has the same weights (state dict minus num_batches_tracked)', (_name, structure, head) => {
    const model = decodeModel(deployModel(structure, { seed: 1, head }).bytes);
    const initializers = model.graph.initializer.map((t) => [t.name, t.dims]);
    const expected = stateDictShapes(structure, head)
      .filter((e) => !e.key.endsWith('.num_batches_tracked'))
      .map((e) => [e.key, e.shape]);
    expect(initializers).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------

/** `python3` if this machine has it (CI machines may not) */

const EXPORTS: [string, string][] = [...SPEC_NETS.map((name) => [name, net(name)] as const), ['mixed', MIXED] as const].flatMap(([name, structure]) => [
  [name, toPyTorchModule(structure, { name })],
  [`${name} with head`, toPyTorchModule(structure, { name, head: { classes: 1000 } })],
]);

/** The value of `NAME = ...` up to the next blank line. */
function assigned(source: string, name: string): string {
  const m = new RegExp(`^${name} = ([\\s\\S]*?)\\n\\n`, 'm').exec(source);
  if (!m) throw new Error(`no ${name} in the generated module`);
  return m[1];
}

const definedClasses = (source: string) => [...source.matchAll(/^class (\w+)/gm)].map((m) => m[1]);

describe('toPyTorchModule', () => {
  it('is valid Python 3 (ast.parse; .ci/run installs python3)', () => {
    for (const [name, source] of EXPORTS) {
      const r = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: source, encoding: 'utf8' });
      expect(r.stderr, name).toBe('');
      expect(r.status, name).toBe(0);
    }
  });

  it('imports only typing and torch; plain layout (spaces, no trailing blanks, ≤ 100 columns outside STRUCTURE)', () => {
    for (const [name, source] of EXPORTS) {
      const imports = [...source.matchAll(/^(?:from (\S+) import|import (\S+))/gm)].map((m) => m[1] ?? m[2]);
      expect(new Set(imports), name).toEqual(new Set(['typing', 'torch', 'torch.nn']));
      expect(source, name).not.toMatch(/\t|[ ]$/m);
      const long = source.split('\n').filter((line) => line.length > 100 && !line.includes("{'class': "));
      expect(long, name).toEqual([]);
    }
  });

  it.each([...SPEC_NETS, 'mixed'])('%s: embeds the structure, its stage_idx and no head', (name) => {
    const structure = name === 'mixed' ? MIXED : net(name);
    const source = toPyTorchModule(structure);
    expect(parseStructure(assigned(source, 'STRUCTURE'))).toEqual(structure);
    expect(JSON.parse(assigned(source, 'STAGE_IDX'))).toEqual(stageInfo(structure).idx);
    expect(assigned(source, 'NUM_CLASSES')).toBe('None');
  });

  it('defines only the classes the structure uses, and maps every block class to one', () => {
    const base = ['BlockArgs', 'ConvKXBN', 'ConvKXBNRELU', 'ResidualBlock', 'SuperBlock'];
    const maedet = toPyTorchModule(net('maedet_s'));
    expect(definedClasses(maedet)).toEqual(['BlockArgs', 'ConvKXBN', 'ResidualBlock', 'SuperBlock', 'ConvKXBNRELU', 'ResK1KXK1', 'SuperResK1KXK1', 'CnnNet']);
    expect(assigned(maedet, 'BLOCK_CLASSES')).toBe("{\n    'ConvKXBNRELU': ConvKXBNRELU,\n    'SuperResK1KXK1': SuperResK1KXK1,\n}");
    const mixed = toPyTorchModule(MIXED);
    const inner = ['ResK1KXK1', 'ResKXKX', 'ResK1KX', 'ResK1DWK1'];
    const supers = inner.map((c) => `Super${c}`);
    expect(new Set(definedClasses(mixed))).toEqual(new Set([...base, ...inner, ...supers, 'CnnNet']));
    for (const cls of ['ConvKXBNRELU', ...supers]) expect(assigned(mixed, 'BLOCK_CLASSES')).toContain(`'${cls}': ${cls},`);
  });

  it.each([
    ['maedet_s', '[48, 272, 1024, 2048]', '21,233,120', '48.7 G at 1280x800'],
    ['maedet_m', '[120, 512, 1632, 2048]', '25,843,536', '89.93 G at 1280x800'],
    ['maedet_l', '[144, 608, 1912, 2400]', '43,879,552', '152.9 G at 1280x800'],
  ])('%s docstring: neck in_channels %s (spec §1.2), params, paper FLOPs, normalisation', (name, channels, paramText, flopsText) => {
    const source = toPyTorchModule(net(name), { name });
    const doc = source.slice(0, source.indexOf('"""', 3));
    expect(doc).toMatch(new RegExp(`neck=dict\\(type='FPN', in_channels=${channels.replace(/[[\]]/g, '\\$&')},\\s+start_level=1, add_extra_convs='on_output', num_outs=5`));
    expect(doc).toContain(`Parameters: ${paramText}`);
    expect(doc).toContain(flopsText);
    expect(doc).toContain('Input: images [N, 3, H, W]');
    expect(doc).toContain('mean [123.675, 116.28, 103.53]\n    std [58.395, 57.12, 57.375]');
    expect(doc).toContain(`self.body = ${name}.build_backbone(out_indices)`);
    expect(doc).toContain("out_indices=(1, 2, 3, 4)");
  });

  it.each([1, 3, 4, 12])("a %i-channel stem: IN_CHANNELS, the stem conv's weight and the docstring say what the input is", (channels) => {
    const structure = withStemChannels(net('maedet_s'), channels);
    const source = toPyTorchModule(structure, { name: 'stem' });
    expect(assigned(source, 'IN_CHANNELS')).toBe(String(channels));
    expect(stateDictShapes(structure)[0]).toEqual({ key: 'block_list.0.conv1.weight', shape: [32, channels, 3, 3], trainable: true });
    expect(source).toContain(`Input: images [N, ${channels}, H, W]`);
    if (channels === 12) expect(source).toContain('space-to-depth by 2 (Focus)');
  });

  it('the R50 seed (6 blocks, block 4 at stride 1): C4 is block 4, C5 block 5', () => {
    const source = toPyTorchModule(net('r50_det_seed'));
    expect(assigned(source, 'STAGE_IDX')).toBe('[0, 1, 2, 4, 5]');
    expect(source).toContain('C4: block_list.4, 1024 channels, stride 16');
    expect(source).toContain('C5: block_list.5, 2048 channels, stride 32');
  });

  it('with a head: NUM_CLASSES, logits in the docstring, no mmdetection section', () => {
    const source = toPyTorchModule(net('cls_r50_like'), { head: { classes: 1000 } });
    expect(assigned(source, 'NUM_CLASSES')).toBe('1000');
    expect(source).toContain('returns logits [N, 1000]');
    expect(source).toContain('Head parameters: 2,897,000 (fc_linear)');
    expect(source).not.toContain('mmdetection: register');
  });

  it('turns the name into a Python module name', () => {
    expect(toPyTorchModule(net('maedet_s'), { name: 'run 3/best-1' })).toContain('import run_3_best_1\n');
    expect(toPyTorchModule(net('maedet_s'), { name: '7th' })).toContain('import net_7th\n');
    expect(toPyTorchModule(net('maedet_s'))).toContain('import tinynas_backbone\n');
  });

  it('refuses a structure with fewer than 5 stages (no C2–C5), as the ONNX export does', () => {
    const short = net('maedet_s').slice(0, 4);
    expect(() => toPyTorchModule(short)).toThrow(StructureError);
    expect(() => toPyTorchModule(short)).toThrow(/at least 5 stages/);
  });
});

// The modules and their expected state dicts for tests/python/check_pytorch_export.py (needs
// torch): written to a temporary folder, or to MAEDET_PYTORCH_FIXTURES=DIR to keep them.
const FIXTURE_CLASSES = 10;

describe('fixtures for tests/python/check_pytorch_export.py', () => {
  it('are written, and each expected state dict holds exactly the structure\'s params', () => {
    const dir = process.env.MAEDET_PYTORCH_FIXTURES ?? mkdtempSync(join(tmpdir(), 'maedet-pytorch-'));
    mkdirSync(dir, { recursive: true });
    for (const [name, structure] of [...SPEC_NETS.map((n) => [n, net(n)] as const), ['mixed', MIXED] as const, ['maedet_s_12ch', withStemChannels(net('maedet_s'), 12)] as const]) {
      const head = { classes: FIXTURE_CLASSES };
      writeFileSync(join(dir, `${name}.py`), toPyTorchModule(structure, { name }));
      writeFileSync(join(dir, `${name}_head.py`), toPyTorchModule(structure, { name: `${name}_head`, head }));
      const fixture = { name, structure, features: backboneFeatures(structure), state_dict: stateDictShapes(structure), head: { ...head, state_dict: stateDictShapes(structure, head) } };
      writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(fixture)}\n`);
      const read = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as typeof fixture;
      const trainable = read.state_dict.filter((e) => e.trainable).reduce((sum, e) => sum + e.shape.reduce((a, b) => a * b, 1), 0);
      expect(trainable).toBe(params(structure));
    }
  });
});
