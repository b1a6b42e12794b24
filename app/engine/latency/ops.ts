/**
 * The latency units of a network: each convolution of its deploy graph (BN folded into it, as
 * ONNX Runtime fuses Conv + BatchNormalization at load) with what follows it in the graph — its
 * ReLU, or the residual Add and then the ReLU — and each shortcut average pool. The units are read
 * off the deploy graph itself: a recording `DeployEmitter` runs every block's `emitDeploy`, so a
 * network is cut into exactly the operations its exported model runs, and a new block kind needs
 * nothing here.
 */
import type { Activation, Block, Structure } from '../block';
import type { ConvSpec, DeployEmitter } from '../blocks/kind';
import { convOutputSide, defaultPadding } from '../blocks/conv';
import { blockKind } from '../blocks/registry';
import { StructureError } from '../errors';

/** regular (groups 1) or depthwise (groups = channels) */
type ConvKind = 'regular' | 'depthwise';

/**
 * what runs after the conv: its activation, nothing (a shortcut projection, or the main path's
 * last conv before a residual sum without activation), or the residual Add then the activation
 */
export type Epilogue = 'relu' | 'none' | 'add-relu';
export const EPILOGUES: readonly Epilogue[] = ['relu', 'none', 'add-relu'];

export interface ConvOp {
  op: 'conv';
  kind: ConvKind;
  /** kernel side */
  k: number;
  stride: number;
  /** input side (square) */
  side: number;
  cin: number;
  cout: number;
  epilogue: Epilogue;
}

/** the 2×2 stride-2 average pool of a stride-2 block's shortcut */
export interface PoolOp {
  op: 'pool';
  side: number;
  channels: number;
}

export type LatencyOp = ConvOp | PoolOp;

/** what the units of a block leave out of the exact deploy graph (non-ReLU activations, odd groups) */
export interface OpsNote {
  blockIndex: number;
  note: string;
}

interface Tensor {
  channels: number;
  side: number;
  /** the op that produced it, whose epilogue a following activation or Add extends */
  producer: ConvOp | null;
  /** an Add waiting for its activation */
  pendingAdd: boolean;
}

/** the output side of a conv unit (its padding is the default (k − 1) // 2) */
export function unitOutputSide(op: { side: number; k: number; stride: number }): number {
  return convOutputSide(op.side, op.k, op.stride, defaultPadding(op.k));
}

/** Records the units a block's `emitDeploy` builds, tracking each tensor's channels and side. */
class OpRecorder implements DeployEmitter {
  readonly ops: LatencyOp[] = [];
  readonly notes: string[] = [];
  private readonly tensors = new Map<string, Tensor>();
  private count = 0;

  constructor(input: string, channels: number, side: number) {
    this.tensors.set(input, { channels, side, producer: null, pendingAdd: false });
  }

  sideOf(name: string): number {
    return this.tensor(name).side;
  }

  private tensor(name: string): Tensor {
    const t = this.tensors.get(name);
    if (!t) throw new Error(`latency ops: unknown tensor ${name}`);
    return t;
  }

  private put(t: Tensor): string {
    const name = `t${this.count++}`;
    this.tensors.set(name, t);
    return name;
  }

  convBn(module: string, c: ConvSpec, input: string): string {
    const x = this.tensor(input);
    let kind: ConvKind = 'regular';
    if (c.g !== 1) {
      if (c.g === c.cin && c.g === c.cout) kind = 'depthwise';
      else this.notes.push(`${module}: a conv in ${c.g} groups is timed as a regular conv with ${c.cin / c.g} input channels`);
    }
    const op: ConvOp = { op: 'conv', kind, k: c.k, stride: c.s, side: x.side, cin: kind === 'regular' ? c.cin / c.g : c.cin, cout: c.cout, epilogue: 'none' };
    this.ops.push(op);
    return this.put({ channels: c.cout, side: convOutputSide(x.side, c.k, c.s, c.p), producer: op, pendingAdd: false });
  }

  activation(act: Activation | undefined, module: string, input: string): string {
    const x = this.tensor(input);
    if (act !== undefined && act !== 'relu') this.notes.push(`${module}: its ${act} is timed as a ReLU`);
    if (x.producer && x.producer.epilogue === 'none') x.producer.epilogue = x.pendingAdd ? 'add-relu' : 'relu';
    else this.notes.push(`${module}: an activation without a conv before it is not timed`);
    return this.put({ ...x, producer: null, pendingAdd: false });
  }

  avgPool2(_module: string, input: string): string {
    const x = this.tensor(input);
    this.ops.push({ op: 'pool', side: x.side, channels: x.channels });
    return this.put({ channels: x.channels, side: Math.floor(x.side / 2), producer: null, pendingAdd: false });
  }

  add(module: string, main: string): string {
    const x = this.tensor(main);
    // the main path's last conv carries the sum (and the activation after it)
    if (!x.producer || x.producer.epilogue !== 'none') this.notes.push(`${module}: a residual sum without a conv before it is not timed`);
    return this.put({ ...x, pendingAdd: x.producer !== null });
  }
}

export interface BlockOps {
  ops: LatencyOp[];
  /** the block's output side */
  side: number;
  notes: string[];
}

/** The units of one block on an input of side `side` (its `in` channels). */
export function blockOps(block: Block, side: number): BlockOps {
  const recorder = new OpRecorder('x', block.in, side);
  const out = blockKind(block.class).emitDeploy(recorder, block, 'block', 'x');
  return { ops: recorder.ops, side: recorder.sideOf(out), notes: recorder.notes };
}

/** The units of a whole network at an R×R input, in graph order, and what they leave out. */
export function networkOps(structure: Structure, resolution: number): { ops: LatencyOp[]; notes: OpsNote[] } {
  const ops: LatencyOp[] = [];
  const notes: OpsNote[] = [];
  let side = resolution;
  structure.forEach((b, blockIndex) => {
    const r = blockOps(b, side);
    if (r.side < 1) throw new StructureError(`block ${blockIndex} (${b.class}) has no output at ${resolution}×${resolution}: its input is ${side}×${side}`, { blockIndex });
    ops.push(...r.ops);
    for (const note of r.notes) notes.push({ blockIndex, note });
    side = r.side;
  });
  return { ops, notes };
}

/** multiply–accumulates of a unit (the conv's; a pool's one add per input element) */
export function opMacs(op: LatencyOp): number {
  if (op.op === 'pool') return op.channels * op.side * op.side;
  const out = unitOutputSide(op);
  return out * out * op.cout * op.k * op.k * (op.kind === 'depthwise' ? 1 : op.cin);
}

/**
 * Conv multiply–accumulates of a structure at an R×R input: every conv of its deploy graph
 * (shortcut projections included; BN, activations, additions and pools not counted) — the
 * convention of most papers and NAS benchmarks.
 */
export function convMacs(structure: Structure, resolution: number): number {
  let total = 0;
  for (const op of networkOps(structure, resolution).ops) if (op.op === 'conv') total += opMacs(op);
  return total;
}
