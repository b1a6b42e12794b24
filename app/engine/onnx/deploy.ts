/**
 * The deploy model of any structure as an ONNX graph (spec §7): the reference's PyTorch deploy
 * network (tinynas/deploy/cnnnet, `CnnNet`) in inference mode. Each block kind writes its own
 * nodes (`BlockKind.emitDeploy`); this file supplies the operations and the network around them.
 *
 * - Input `images` [N, C, H, W] (N, H, W dynamic; C the stem's input channels); outputs C2–C5 [N, C, H/r, W/r] (the stage
 *   outputs `CnnNet(out_indices=(1, 2, 3, 4))` returns), and `logits` [N, classes] with a head.
 * - Weights are initializers named exactly as the reference's state-dict keys, so a trained
 *   checkpoint's tensors map one to one. BatchNormalization nodes are kept (γ 1, β 0, mean 0,
 *   var 1, ε 1e-5) rather than folded, for the same reason.
 * - Conv weights are Kaiming-normal, drawn from one seeded `NormalStream` in emission order:
 *   the same structure and seed give the same bytes on every JavaScript engine.
 */
import type { Activation, Structure } from '../block';
import type { ConvSpec, DeployEmitter } from '../blocks/kind';
import { blockKind } from '../blocks/registry';
import { StructureError } from '../errors';
import { describeDeploy, sidecarMetadata, type DeploySidecar } from '../export/sidecar';
import { unitOutputSide, type LatencyOp } from '../latency/ops';
import { defaultPadding } from '../blocks/conv';
import { NormalStream } from '../normal';
import { GraphBuilder, type AttributeValue, type Dim } from './graph';

export type { DeploySidecar } from '../export/sidecar';

const GRAPH_NAME = 'maedet_backbone';
const DOC = 'MAE-DET Studio backbone (TinyNAS CnnNet deploy model); see metadata_props for the structure and feature_info';
const BN_EPSILON = 1e-5;
/** F.leaky_relu's default slope (the reference's `learkyrelu`) */
const LEAKY_RELU_SLOPE = 0.01;

type WeightFill = { std: number } | { value: number };

/** Where the graph goes: a `GraphBuilder` whose float weights are described, not passed in. */
interface GraphSink {
  fresh(base: string): string;
  input(name: string, dims: readonly Dim[]): string;
  output(name: string, dims: readonly Dim[]): string;
  node(opType: string, inputs: readonly string[], outputs: readonly string[] | string, attributes?: Record<string, AttributeValue>): string;
  /** a float32 initializer: N(0, std²) numbers, or every element `value` */
  weights(name: string, dims: readonly number[], fill: WeightFill): string;
}

/** The real graph: normal weights come from one seeded stream, in the order they are emitted. */
class SeededGraph extends GraphBuilder implements GraphSink {
  constructor(private readonly normal: NormalStream) {
    super(GRAPH_NAME);
  }

  weights(name: string, dims: readonly number[], fill: WeightFill): string {
    const data = new Float32Array(elementCount(dims));
    if ('std' in fill) this.normal.fill(data, fill.std);
    else data.fill(fill.value);
    return this.initializer(name, dims, data);
  }
}

/** For timing: every weight the same number, drawn in no time (the values do not change the time). */
class FilledGraph extends GraphBuilder implements GraphSink {
  constructor() {
    super('latency_unit');
  }

  weights(name: string, dims: readonly number[], fill: WeightFill): string {
    return this.initializer(name, dims, new Float32Array(elementCount(dims)).fill('std' in fill ? fill.std : fill.value));
  }
}

/**
 * For the size estimate: the graph without its weight tensors (cheap to encode), plus the encoded
 * size of each weight tensor, which depends only on its name and shape.
 */
class SizedGraph extends GraphBuilder implements GraphSink {
  weightBytes = 0;

  constructor() {
    super(GRAPH_NAME);
  }

  weights(name: string, dims: readonly number[]): string {
    this.weightBytes += encodedInitializerBytes(name, dims);
    return name;
  }
}

function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function varintBytes(n: number): number {
  let bytes = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    bytes++;
  }
  return bytes;
}

/** a length-delimited protobuf field (one-byte tag) */
function fieldBytes(length: number): number {
  return 1 + varintBytes(length) + length;
}

/** a float32 TensorProto (packed dims, data_type, name, raw_data) inside GraphProto.initializer */
function encodedInitializerBytes(name: string, dims: readonly number[]): number {
  const tensor = fieldBytes(dims.reduce((sum, d) => sum + varintBytes(d), 0)) + 2 + fieldBytes(name.length) + fieldBytes(4 * elementCount(dims));
  return fieldBytes(tensor);
}

/** The operations the block kinds build their graphs from. */
class BackboneEmitter implements DeployEmitter {
  private relu6Bounds: [string, string] | undefined;

  constructor(private readonly graph: GraphSink) {}

  convBn(module: string, c: ConvSpec, input: string): string {
    const g = this.graph;
    if (c.cin % c.g !== 0 || c.cout % c.g !== 0) throw new StructureError(`${module}: ${c.cin}→${c.cout} channels cannot be split into ${c.g} groups`);
    // torch's kaiming_normal_(mode='fan_out', nonlinearity='relu'): std = √(2 / fan_out), where
    // torch's fan_out is weight.size(0)·k·k = cout·k·k (groups do not enter it)
    const weight = g.weights(`${module}.conv1.weight`, [c.cout, c.cin / c.g, c.k, c.k], { std: Math.sqrt(2 / (c.cout * c.k * c.k)) });
    const conv = g.node('Conv', [input, weight], g.fresh(`${module}.conv1`), { kernel_shape: [c.k, c.k], strides: [c.s, c.s], pads: [c.p, c.p, c.p, c.p], group: c.g });
    const bn = (key: string, value: number) => g.weights(`${module}.bn1.${key}`, [c.cout], { value });
    return g.node('BatchNormalization', [conv, bn('weight', 1), bn('bias', 0), bn('running_mean', 0), bn('running_var', 1)], g.fresh(`${module}.bn1`), {
      epsilon: { float: BN_EPSILON },
    });
  }

  /** the reference's `get_activation` names, as ONNX ops */
  activation(act: Activation | undefined, module: string, input: string): string {
    const g = this.graph;
    const out = g.fresh(`${module}.act`);
    switch (act ?? 'relu') {
      case 'relu':
        return g.node('Relu', [input], out);
      case 'sigmoid':
        return g.node('Sigmoid', [input], out);
      case 'relu6':
        // Constant nodes rather than initializers, so that every initializer is a state-dict key
        this.relu6Bounds ??= [g.node('Constant', [], g.fresh('relu6.min'), { value_float: { float: 0 } }), g.node('Constant', [], g.fresh('relu6.max'), { value_float: { float: 6 } })];
        return g.node('Clip', [input, ...this.relu6Bounds], out);
      case 'swish':
        return g.node('Mul', [input, g.node('Sigmoid', [input], g.fresh(`${module}.sigmoid`))], out);
      case 'learkyrelu':
        return g.node('LeakyRelu', [input], out, { alpha: { float: LEAKY_RELU_SLOPE } });
    }
  }

  avgPool2(module: string, input: string): string {
    return this.graph.node('AveragePool', [input], this.graph.fresh(module), { kernel_shape: [2, 2], strides: [2, 2] });
  }

  add(module: string, a: string, b: string): string {
    return this.graph.node('Add', [a, b], this.graph.fresh(`${module}.add`));
  }
}

/** The whole network: input, every block, the C2–C5 outputs and the optional head. */
function emitNetwork(graph: GraphSink, structure: Structure, sidecar: DeploySidecar): void {
  const emitter = new BackboneEmitter(graph);
  const features = new Map(sidecar.feature_info.map((f) => [f.module, f]));
  let x = graph.input(sidecar.input.name, ['N', sidecar.input.channels, 'H', 'W']);
  structure.forEach((b, i) => {
    const module = `block_list.${i}`;
    x = blockKind(b.class).emitDeploy(emitter, b, module, x);
    const feature = features.get(module);
    if (feature) graph.output(graph.node('Identity', [x], feature.name), ['N', feature.num_chs, `H/${feature.reduction}`, `W/${feature.reduction}`]);
  });
  if (sidecar.head) {
    const { classes } = sidecar.head;
    const pooled = graph.node('GlobalAveragePool', [x], graph.fresh('avgpool'));
    const flat = graph.node('Flatten', [pooled], graph.fresh('flatten'), { axis: 1 });
    // the reference initialises fc_linear with network_weight_stupid_init: N(0, 1 / weight.shape[0])
    // (that is 1/classes: it reads the Linear weight's shape as (in, out)), bias 0
    const weight = graph.weights('fc_linear.weight', [classes, structure[structure.length - 1].out], { std: 1 / Math.sqrt(classes) });
    const bias = graph.weights('fc_linear.bias', [classes], { value: 0 });
    graph.output(graph.node('Gemm', [flat, weight, bias], 'logits', { transB: 1 }), ['N', classes]);
  }
}

export interface DeployOptions {
  /** seed of the random weights (a 32-bit unsigned integer); default 0 */
  seed?: number;
  /** add a classification head with this many classes (output `logits`) */
  head?: { classes: number };
}

/** The ONNX deploy model of a structure and its sidecar; throws on a structure with < 5 stages. */
export function deployModel(structure: Structure, options: DeployOptions = {}): { bytes: Uint8Array; sidecar: DeploySidecar } {
  const seed = options.seed ?? 0;
  const sidecar = describeDeploy(structure, seed, options.head ?? null);
  const graph = new SeededGraph(new NormalStream(seed));
  emitNetwork(graph, structure, sidecar);
  return { bytes: graph.toBytes(sidecarMetadata(sidecar), DOC), sidecar };
}

/** the input names of a latency unit's graph (`latencyUnitModel`) */
export const UNIT_INPUT = 'x';
export const UNIT_SHORTCUT = 'shortcut';

/**
 * One latency unit (latency/ops.ts) as the deploy model writes it, alone in a graph: the same
 * emitter builds Conv + BatchNormalization (folded by ONNX Runtime at load, as in the whole
 * model), the ReLU, and for an `add-relu` unit the residual Add of a second input `shortcut`.
 * Batch 1, fixed shapes.
 */
export function latencyUnitModel(op: LatencyOp): Uint8Array {
  const graph = new FilledGraph();
  const emitter = new BackboneEmitter(graph);
  if (op.op === 'pool') {
    const x = graph.input(UNIT_INPUT, [1, op.channels, op.side, op.side]);
    graph.output(emitter.avgPool2('pool', x), [1, op.channels, Math.floor(op.side / 2), Math.floor(op.side / 2)]);
    return graph.toBytes({}, DOC);
  }
  const x = graph.input(UNIT_INPUT, [1, op.cin, op.side, op.side]);
  const out = unitOutputSide(op);
  let y = emitter.convBn('unit', { cin: op.cin, cout: op.cout, k: op.k, s: op.stride, p: defaultPadding(op.k), g: op.kind === 'depthwise' ? op.cin : 1 }, x);
  if (op.epilogue === 'add-relu') y = emitter.add('unit', y, graph.input(UNIT_SHORTCUT, [1, op.cout, out, out]));
  if (op.epilogue !== 'none') y = emitter.activation('relu', 'unit', y);
  graph.output(y, [1, op.cout, out, out]);
  return graph.toBytes({}, DOC);
}

/**
 * The size `deployModel` will produce, within a few bytes, without drawing or encoding a single
 * weight (a few milliseconds even for MAE-DET-L).
 */
export function estimateOnnxBytes(structure: Structure, head?: { classes: number }): number {
  const sidecar = describeDeploy(structure, 0, head ?? null);
  const graph = new SizedGraph();
  emitNetwork(graph, structure, sidecar);
  return graph.toBytes(sidecarMetadata(sidecar), DOC).length + graph.weightBytes;
}
