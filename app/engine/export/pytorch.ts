/**
 * A structure as a self-contained PyTorch module (spec §2, §7): one .py file that needs only
 * `torch`, defines the block classes the structure uses, and builds the reference's deploy model
 * (tinynas/deploy/cnnnet `CnnNet`) with the same module tree, so its `state_dict()` keys and
 * shapes are the reference's and TinyNAS / MAE-DET checkpoints load with `strict=True`.
 *
 * `stateDictShapes` does not restate the module tree: it walks each block kind's own
 * `emitDeploy` (the description the ONNX deploy graph is built from), so the promised keys, the
 * ONNX initializers and the engine's parameter count all describe one network. The Python
 * classes below are the same tree written in PyTorch; the tests and tests/python check them
 * against both.
 */
import type { Activation, Structure } from '../block';
import type { ConvSpec, DeployEmitter, PyTorchBase } from '../blocks/kind';
import { ALL_BLOCK_KINDS, blockKind } from '../blocks/registry';
import { paperTableFlops, stageInfo } from '../cost';
import { toPythonList } from '../structure';
import { formatWithUnit } from '../units';
import { GFL_FPN } from './gflNeck';
import { describeDeploy, type DeploySidecar } from './sidecar';

/** One entry of the deploy model's `state_dict()`, in PyTorch's order. */
export interface StateDictEntry {
  key: string;
  /** `[]` for the scalar `num_batches_tracked` */
  shape: number[];
  /** trained weights (conv, BN γ and β, head); false for BN's running statistics and counter */
  trainable: boolean;
}

export interface PyTorchExportOptions {
  /** a classification head (global average pool → `fc_linear`); `forward` then returns logits */
  head?: { classes: number };
  /** the file's module name (e.g. `maedet_s`), used in the docstring's import examples */
  name?: string;
}

/**
 * Collects the state-dict entries of the modules a block's `emitDeploy` visits. Every tensor
 * name it is handed is passed straight through: only the module paths and conv shapes matter.
 */
class StateDictRecorder implements DeployEmitter {
  readonly entries: StateDictEntry[] = [];

  /** TinyNAS's ConvKXBN: `conv1` (Conv2d, no bias) then `bn1` (BatchNorm2d) */
  convBn(module: string, c: ConvSpec, input: string): string {
    const param = (key: string, shape: number[]) => this.entries.push({ key: `${module}.${key}`, shape, trainable: true });
    const buffer = (key: string, shape: number[]) => this.entries.push({ key: `${module}.${key}`, shape, trainable: false });
    param('conv1.weight', [c.cout, c.cin / c.g, c.k, c.k]);
    param('bn1.weight', [c.cout]);
    param('bn1.bias', [c.cout]);
    buffer('bn1.running_mean', [c.cout]);
    buffer('bn1.running_var', [c.cout]);
    buffer('bn1.num_batches_tracked', []);
    return input;
  }

  // activations, pooling and the residual add hold no state
  activation(_act: Activation | undefined, _module: string, input: string): string {
    return input;
  }

  avgPool2(_module: string, input: string): string {
    return input;
  }

  add(_module: string, a: string): string {
    return a;
  }
}

/**
 * The keys and shapes of `CnnNet(structure).state_dict()` in the reference deploy model, in
 * PyTorch's order: `block_list.<i>.` per block, then `fc_linear.{weight,bias}` with a head.
 */
export function stateDictShapes(structure: Structure, head?: { classes: number }): StateDictEntry[] {
  const recorder = new StateDictRecorder();
  structure.forEach((b, i) => blockKind(b.class).emitDeploy(recorder, b, `block_list.${i}`, 'x'));
  if (head) {
    const last = structure[structure.length - 1].out;
    recorder.entries.push({ key: 'fc_linear.weight', shape: [head.classes, last], trainable: true }, { key: 'fc_linear.bias', shape: [head.classes], trainable: true });
  }
  return recorder.entries;
}

// ---------------------------------------------------------------------------------------------
// The Python source. Each class is emitted only if the structure uses it; the snippets are
// listed in dependency order, so filtering keeps every base class before its subclasses.
// ---------------------------------------------------------------------------------------------

const PY_HEADER = `from typing import Callable, Dict, List, NamedTuple, Optional, Sequence, Union

import torch
from torch import nn
from torch.nn import functional as F`;

const PY_COMMON = `# TinyNAS's activation names ('learkyrelu' is its spelling); F.silu is its swish, x * sigmoid(x).
ACTIVATIONS: Dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    'relu': F.relu,
    'relu6': F.relu6,
    'sigmoid': torch.sigmoid,
    'swish': F.silu,
    'learkyrelu': F.leaky_relu,
}


class BlockArgs(NamedTuple):
    """One block dict of STRUCTURE with TinyNAS's defaults filled in."""

    cin: int
    cout: int
    k: int
    stride: int
    groups: int
    padding: int
    btn: Optional[int]
    act: Callable[[torch.Tensor], torch.Tensor]
    force_resproj: bool

    @staticmethod
    def read(info: dict) -> 'BlockArgs':
        return BlockArgs(
            cin=info['in'],
            cout=info['out'],
            k=info['k'],
            stride=info.get('s', 1),
            groups=info.get('g', 1),
            padding=info.get('p', (info['k'] - 1) // 2),
            btn=info.get('btn'),
            act=ACTIVATIONS[info.get('act', 'relu')],
            force_resproj=info.get('force_resproj', False),
        )


class ConvKXBN(nn.Module):
    """A k x k convolution without bias, then BatchNorm (eps 1e-5); no activation."""

    def __init__(self, cin: int, cout: int, k: int,
                 stride: int = 1, groups: int = 1, padding: int = 0):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, k, stride, padding, groups=groups, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.bn1(self.conv1(x))`;



const PY_RESIDUAL_BLOCK = `class ResidualBlock(nn.Module):
    """What the inner blocks share: main path + shortcut, then the activation after the add.

    Subclasses create conv1, conv2, ... first and call add_shortcut() last, so the modules (and
    the state_dict keys) come in TinyNAS's order.
    """

    def __init__(self, a: BlockArgs):
        super().__init__()
        self.act = a.act
        self.has_shortcut = False

    def add_shortcut(self, a: BlockArgs, project: bool) -> None:
        # Pool first, then project: TinyNAS's 1x1 projection runs at the output resolution.
        self.residual_downsample = nn.AvgPool2d(2, 2) if a.stride == 2 else nn.Identity()
        self.residual_proj = ConvKXBN(a.cin, a.cout, 1) if project else nn.Identity()
        self.has_shortcut = True

    def main_path(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.main_path(x)
        if self.has_shortcut:
            out = out + self.residual_proj(self.residual_downsample(x))
        return self.act(out)`;









const PY_SUPER_BLOCK = `class SuperBlock(nn.Module):
    """L inner blocks: inner 0 maps in -> out at the block's stride, the rest out -> out."""

    inner_class: type
    force_first_resproj = False

    def __init__(self, info: dict):
        super().__init__()
        first = {**info, 'force_resproj': self.force_first_resproj}
        rest = {**info, 'in': info['out'], 's': 1, 'force_resproj': False}
        self.block_list = nn.ModuleList(
            self.inner_class(first if j == 0 else rest) for j in range(info['L']))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for block in self.block_list:
            x = block(x)
        return x`;



/** the shared base classes, in definition order */
const PY_BASES: Readonly<Record<PyTorchBase, string>> = { ResidualBlock: PY_RESIDUAL_BLOCK, SuperBlock: PY_SUPER_BLOCK };

const PY_NETWORK = `class CnnNet(nn.Module):
    """TinyNAS's deploy CnnNet: block_list.<i> per block of the structure, fc_linear for the head.

    Detection (num_classes None): forward(x) returns the outputs of the stages in out_indices, in
    order. Classification: global average pool, flatten, fc_linear; forward(x) returns logits.
    """

    def __init__(self, structure: List[dict], stage_idx: Sequence[int],
                 out_indices: Sequence[int] = (1, 2, 3, 4), num_classes: Optional[int] = None):
        super().__init__()
        self.in_channels = structure[0]['in']
        self.block_list = nn.ModuleList(BLOCK_CLASSES[info['class']](info) for info in structure)
        self.out_blocks = [stage_idx[i] for i in out_indices]
        self.fc_linear = (
            None if num_classes is None else nn.Linear(structure[-1]['out'], num_classes))

    def forward(self, x: torch.Tensor) -> Union[List[torch.Tensor], torch.Tensor]:
        features = []
        for idx, block in enumerate(self.block_list):
            x = block(x)
            if idx in self.out_blocks:
                features.append(x)
        if self.fc_linear is None:
            return features
        return self.fc_linear(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def build_backbone(out_indices: Sequence[int] = (1, 2, 3, 4),
                   num_classes: Optional[int] = NUM_CLASSES) -> CnnNet:
    """The network of STRUCTURE with PyTorch's default initialisation."""
    return CnnNet(STRUCTURE, STAGE_IDX, out_indices, num_classes)


def backbone_state_dict(checkpoint: dict,
                        prefix: str = 'backbone.body.') -> Dict[str, torch.Tensor]:
    """The backbone's weights from a loaded checkpoint, for load_state_dict(strict=True).

    An mmdetection checkpoint of TinyNAS's MadNas backbone holds them under 'backbone.body.'
    (its neck and head are dropped); a bare CnnNet state_dict is returned as it is.
    """
    state_dict = checkpoint.get('state_dict', checkpoint)
    if not any(key.startswith(prefix) for key in state_dict):
        return state_dict
    return {key[len(prefix):]: value for key, value in state_dict.items() if key.startswith(prefix)}`;

/** a name usable as a Python module name */
function moduleName(name: string | undefined): string {
  const cleaned = (name ?? '').replace(/[^A-Za-z0-9_]/g, '_');
  if (cleaned === '') return 'tinynas_backbone';
  return /^[0-9]/.test(cleaned) ? `net_${cleaned}` : cleaned;
}

/** `maedet_s` → `MaedetS` */
function pascalCase(identifier: string): string {
  return identifier
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** 21233120 → "21,233,120" (no locale: the same text everywhere) */
function withThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** docstring lines indented one level (blank lines stay empty) */
function indent(lines: readonly string[]): string[] {
  return lines.map((line) => (line === '' ? '' : `    ${line}`));
}

function docstring(structure: Structure, sidecar: DeploySidecar, module: string, head: { classes: number } | undefined): string {
  const { input } = sidecar;
  const mean = `[${input.mean.join(', ')}]`;
  const std = `[${input.std.join(', ')}]`;
  const outputs = head
    ? [
        `build_backbone() returns the network; its forward(images) returns logits [N, ${head.classes}]`,
        "(TinyNAS's CnnNet with classfication=True: global average pool, flatten, fc_linear).",
      ]
    : [
        'build_backbone() returns the network; its forward(images) returns the outputs of stages',
        "1-4, as TinyNAS's CnnNet(out_indices=(1, 2, 3, 4)) does:",
        ...indent(sidecar.feature_info.map((f) => `${f.name}: ${f.module}, ${f.num_chs} channels, stride ${f.reduction}`)),
      ];
  const costs = [
    `Parameters: ${withThousands(sidecar.params)} (${formatWithUnit(sidecar.params, 4)}; conv weights + BN gamma/beta)`,
    ...(head ? [`Head parameters: ${withThousands(head.classes * (structure[structure.length - 1].out + 1))} (fc_linear)`] : []),
    `Conv layers: ${sidecar.layers}`,
    `FLOPs (the search's count): ${formatWithUnit(sidecar.flops224, 4)} at 224x224, ${formatWithUnit(sidecar.flops480, 4)} at 480x480`,
    ...(head ? [] : [`FLOPs (mmcv's counter, as the MAE-DET paper reports): ${formatWithUnit(paperTableFlops(structure), 4)} at 1280x800`]),
  ];
  const common = [
    `${module}: a TinyNAS CnnNet ${head ? 'classifier' : 'backbone'} exported by MAE-DET Studio.`,
    '',
    ...outputs,
    '',
    ...costs,
    '',
    `Input: images [N, ${input.channels}, H, W] (the stem's channels), H and W multiples of ${input.sizeMultiple}.`,
    'From an RGB image:',
    ...indent([input.fromImageText]),
    ...(input.mean.length > 0 ? [`(value - mean) / std per input channel, on 0-255 values:`, ...indent([`mean ${mean}`, `std ${std}`])] : []),
    '',
    head ? 'Weights: a TinyNAS CnnNet classifier state_dict loads strictly with' : 'Weights: TinyNAS CnnNet state_dicts and MAE-DET mmdetection checkpoints load strictly with',
    ...indent(["model.load_state_dict(backbone_state_dict(torch.load(path, map_location='cpu')))"]),
  ];
  if (head) return common.join('\n');
  const registered = `${pascalCase(module)}Backbone`;
  const wrapper = [
    `# ${module}_mmdet.py, next to ${module}.py`,
    'from mmdet.registry import MODELS  # mmdet 2.x: mmdet.models.builder.BACKBONES',
    'from torch import nn',
    '',
    `import ${module}`,
    '',
    '',
    '@MODELS.register_module()',
    `class ${registered}(nn.Module):`,
    '    def __init__(self, out_indices=(1, 2, 3, 4)):',
    '        super().__init__()',
    "        # 'body', as in TinyNAS's MadNas: MAE-DET checkpoints (backbone.body.*) load as is",
    `        self.body = ${module}.build_backbone(out_indices)`,
    '',
    '    def init_weights(self, pretrained=None):',
    "        pass  # PyTorch's default initialisation; set load_from for a checkpoint",
    '',
    '    def forward(self, x):',
    '        return self.body(x)',
  ];
  const config = [
    `custom_imports = dict(imports=['${module}_mmdet'], allow_failed_imports=False)`,
    'model = dict(',
    `    backbone=dict(type='${registered}', out_indices=(1, 2, 3, 4)),`,
    // MAE-DET's GFL neck: C2 listed but skipped (start_level), P6 and P7 from P5's output
    `    neck=dict(type='FPN', in_channels=[${sidecar.feature_info.map((f) => f.num_chs).join(', ')}],`,
    `              start_level=${GFL_FPN.startLevel}, add_extra_convs='on_output', num_outs=${GFL_FPN.numOuts}, ...),`,
    '    data_preprocessor=dict(',
    `        mean=${mean}, std=${std},`,
    `        bgr_to_rgb=True, pad_size_divisor=${input.sizeMultiple}))`,
  ];
  return [...common, '', 'mmdetection: register a wrapper (mmdet 3.x shown)::', '', ...indent(wrapper), '', 'and in the config::', '', ...indent(config)].join('\n');
}

/**
 * The structure as a self-contained Python module (torch only). `build_backbone()` gives the
 * reference deploy model; with `head`, forward returns logits instead of the C2–C5 features.
 * Throws a StructureError for a structure with fewer than 5 stages (as the ONNX export does).
 */
export function toPyTorchModule(structure: Structure, options: PyTorchExportOptions = {}): string {
  const { head } = options;
  // the deploy sidecar's costs, feature outputs and input normalisation; its seed (the ONNX
  // weights') plays no part here
  const sidecar = describeDeploy(structure, 0, head ?? null);
  const module = moduleName(options.name);
  // the classes of the block kinds the structure uses, in the registry's order, after their bases
  const kinds = ALL_BLOCK_KINDS.filter((kind) => structure.some((b) => b.class === kind.className));
  const bases = (Object.keys(PY_BASES) as PyTorchBase[]).filter((base) => kinds.some((kind) => kind.pytorch.bases.includes(base)));
  const snippets = [PY_COMMON, ...bases.map((base) => PY_BASES[base]), ...kinds.map((kind) => kind.pytorch.source)];
  const blockClasses = kinds.map((kind) => `    '${kind.className}': ${kind.className},`);
  const sections = [
    `"""${docstring(structure, sidecar, module, head)}\n"""\n\n${PY_HEADER}`,
    [
      "# The structure in TinyNAS's format (best_structure.txt); the module tree is built from it.",
      `STRUCTURE = ${toPythonList(structure).trimEnd()}`,
      '',
      '# The last block of each stage (TinyNAS get_stage_idx: stride-2 blocks after the stem start one).',
      `STAGE_IDX = [${stageInfo(structure).idx.join(', ')}]`,
      '',
      "# The input images' channels: the stem's (the docstring says how an RGB image becomes them).",
      `IN_CHANNELS = ${structure[0].in}`,
      '',
      '# Classes of the classification head; None: a detection backbone returning feature maps.',
      `NUM_CLASSES = ${head ? head.classes : 'None'}`,
    ].join('\n'),
    ...snippets,
    ['BLOCK_CLASSES = {', ...blockClasses, '}'].join('\n'),
    PY_NETWORK,
  ];
  return `${sections.join('\n\n\n')}\n`;
}
