/**
 * Latency of any structure from a device profile (TinyNAS's op-predictor approach, §8): the sum
 * of its units' times — an exact hit in the table, else interpolated in channels (bilinear over
 * the measured (C_in, C_out) grid of the unit's kind, kernel, stride, epilogue and input side;
 * linear in channels for depthwise convs, pools and moves), else the nearest measured unit
 * rescaled by multiply–accumulates, which is flagged as an extrapolation — then calibrated by the
 * linear fit to whole networks measured end to end. A unit whose kind, kernel, stride or side the
 * profile never measured is refused: its time cannot be read from this table.
 *
 * A search asks for every child, so `predictMs` memoises per block: a child shares all but one
 * or two blocks with its parent, and a super block of L inner blocks costs its first inner plus
 * L − 1 times the second (all inners after the first are the same).
 */
import type { Block, Structure } from '../block';
import { StructureError } from '../errors';
import { blockOps, networkOps, opMacs, unitOutputSide, type LatencyOp } from './ops';
import { isComplete, type Calibration, type LatencyProfile, type ProfileOp, type ProfileUnit } from './profile';

/** a unit the table cannot time: a kind, kernel, stride, epilogue or side never profiled */
export class LatencyRangeError extends StructureError {}

function familyKey(op: ProfileOp): string {
  return op.op === 'conv' ? `${op.kind} ${op.k}×${op.k} conv s${op.stride} ${op.epilogue} @${op.side}` : `${op.op} @${op.side}`;
}

function familyLabel(op: ProfileOp): string {
  if (op.op === 'move') return `tensor move at ${op.side} px`;
  if (op.op === 'pool') return `avg-pool at ${op.side} px`;
  const tail = op.epilogue === 'none' ? '' : op.epilogue === 'relu' ? ' + ReLU' : ' + Add + ReLU';
  return `${op.k}×${op.k} ${op.kind} conv, stride ${op.stride}${tail}, at ${op.side} px`;
}

/** channels as one axis for 1-D units (depthwise: C_in = C_out) */
const channelsOf = (op: ProfileOp) => (op.op === 'conv' ? op.cin : op.channels);
const macsOf = (op: ProfileOp) => (op.op === 'move' ? op.channels * op.side * op.side : opMacs(op));

interface Lookup {
  ms: number;
  extrapolated: boolean;
}

/** The measured units of one family: a grid over channels, with its exact hits. */
class Family {
  private readonly exact = new Map<number, number>();
  /** the grid's C_in (or channel) values, and its C_out values (regular convs) */
  private readonly xs: number[];
  private readonly ys: number[];
  private readonly units: ProfileUnit[];
  readonly twoD: boolean;

  constructor(units: ProfileUnit[]) {
    this.units = units;
    const first = units[0];
    this.twoD = first.op === 'conv' && first.kind === 'regular';
    for (const u of units) this.exact.set(this.key(u), u.ms);
    const sorted = (values: number[]) => [...new Set(values)].sort((a, b) => a - b);
    this.xs = sorted(units.map(channelsOf));
    this.ys = this.twoD ? sorted(units.map((u) => (u as { cout: number }).cout)) : [];
    if (this.twoD) this.keepCompleteGrid();
  }

  /**
   * Bilinear interpolation needs a complete product of C_in and C_out values. The plan's grid is
   * one; the units timed exactly besides it (the reference and calibration networks') add values
   * with most of their cells empty: drop the emptiest row or column until the product is
   * complete. Those units stay exact hits.
   */
  private keepCompleteGrid(): void {
    const has = (x: number, y: number) => this.exact.has(x * 65536 + y);
    for (;;) {
      let worst: { axis: number[]; index: number; empty: number } | null = null;
      this.xs.forEach((x, index) => {
        const empty = this.ys.filter((y) => !has(x, y)).length / this.ys.length;
        if (empty > (worst?.empty ?? 0)) worst = { axis: this.xs, index, empty };
      });
      this.ys.forEach((y, index) => {
        const empty = this.xs.filter((x) => !has(x, y)).length / this.xs.length;
        if (empty > (worst?.empty ?? 0)) worst = { axis: this.ys, index, empty };
      });
      if (!worst) return;
      const { axis, index } = worst as { axis: number[]; index: number };
      axis.splice(index, 1);
    }
  }

  private key(op: ProfileOp): number {
    return this.twoD && op.op === 'conv' ? op.cin * 65536 + op.cout : channelsOf(op);
  }

  lookup(op: ProfileOp): Lookup {
    const hit = this.exact.get(this.key(op));
    if (hit !== undefined) return { ms: hit, extrapolated: false };
    const x = channelsOf(op);
    const bx = bracket(this.xs, x);
    if (!this.twoD) {
      if (bx) {
        const [v0, v1] = [this.exact.get(bx[0])!, this.exact.get(bx[1])!];
        return { ms: v0 + (v1 - v0) * weight(x, bx), extrapolated: false };
      }
      return this.nearest(op);
    }
    const y = (op as { cout: number }).cout;
    const by = bracket(this.ys, y);
    if (bx && by) {
      const [[x0, x1], [y0, y1]] = [bx, by];
      const v00 = this.exact.get(x0 * 65536 + y0);
      const v01 = this.exact.get(x0 * 65536 + y1);
      const v10 = this.exact.get(x1 * 65536 + y0);
      const v11 = this.exact.get(x1 * 65536 + y1);
      if (v00 !== undefined && v01 !== undefined && v10 !== undefined && v11 !== undefined) {
        const tx = weight(x, bx);
        const ty = weight(y, by);
        return { ms: v00 * (1 - tx) * (1 - ty) + v10 * tx * (1 - ty) + v01 * (1 - tx) * ty + v11 * tx * ty, extrapolated: false };
      }
    }
    return this.nearest(op);
  }

  /** the closest measured unit (in log channels), rescaled by multiply–accumulates */
  private nearest(op: ProfileOp): Lookup {
    const lx = Math.log(channelsOf(op));
    const ly = op.op === 'conv' ? Math.log(op.cout) : 0;
    let best = this.units[0];
    let bestD = Infinity;
    for (const u of this.units) {
      const d = (Math.log(channelsOf(u)) - lx) ** 2 + (u.op === 'conv' ? (Math.log(u.cout) - ly) ** 2 : 0);
      if (d < bestD) [best, bestD] = [u, d];
    }
    return { ms: (best.ms * macsOf(op)) / macsOf(best), extrapolated: true };
  }
}

/**
 * [x0, x1] around x from the sorted axis xs (x0 = x1 when x is a grid value: on a one-value axis
 * such as the stem's 3 input channels, only the other axis interpolates), or null outside it
 */
function bracket(xs: readonly number[], x: number): [number, number] | null {
  if (xs.length === 0 || x < xs[0] || x > xs[xs.length - 1]) return null;
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] === x) return [x, x];
    if (x < xs[i + 1]) return [xs[i], xs[i + 1]];
  }
  return null;
}

/** the interpolation weight of x1 in [x0, x1] */
const weight = (x: number, [x0, x1]: [number, number]) => (x1 === x0 ? 0 : (x - x0) / (x1 - x0));

/** The sums a network's (or block's) latency is calibrated from. */
export interface UnitSums {
  /** Σ of the units' table times, ms */
  unitMs: number;
  /** Σ of the units' tensor moves (half of each tensor's in-and-out cost), ms */
  moveMs: number;
  /** units timed by nearest neighbour (outside the measured channels) */
  extrapolated: number;
  units: number;
}

export interface LatencyPrediction extends UnitSums {
  /** calibrated prediction, ms per image at batch 1 */
  ms: number;
  /** the profile's input size, at which the prediction holds */
  resolution: number;
  /** what the units leave out of the exact graph (non-ReLU activations, grouped convs) */
  notes: string[];
}

export function calibrated(calibration: Calibration, sums: Pick<UnitSums, 'unitMs' | 'moveMs'>): number {
  return calibration.intercept + calibration.unitScale * sums.unitMs + calibration.moveScale * sums.moveMs;
}

interface BlockCost extends UnitSums {
  side: number;
}

const MEMO_LIMIT = 200_000;
const CLASS_INDEX: Record<string, number> = {};
const WIDE = 16384;

/**
 * A number for the fields a block's time depends on besides L (a search asks millions of times:
 * a string key would cost most of the prediction); a string for the rare block with channels
 * ≥ 16384 or explicit padding, groups or activation.
 */
function blockKey(b: Block): number | string {
  if (b.in >= WIDE || b.out >= WIDE || (b.btn ?? 0) >= WIDE || b.k >= 32 || b.p !== undefined || b.g !== undefined || b.act !== undefined) {
    return `${b.class} ${b.in} ${b.out} ${b.s} ${b.k} ${b.btn} ${b.p} ${b.g} ${b.act}`;
  }
  const cls = (CLASS_INDEX[b.class] ??= Object.keys(CLASS_INDEX).length);
  return (((cls * WIDE + b.in) * WIDE + b.out) * WIDE + (b.btn ?? 0)) * 64 + b.k * 2 + (b.s - 1);
}

export class LatencyPredictor {
  readonly resolution: number;
  readonly calibration: Calibration;
  private readonly families = new Map<string, Family>();
  /** per input side: block → its first inner's sums and each further inner's */
  private readonly memo = new Map<number, Map<number | string, { first: BlockCost; more: UnitSums }>>();
  private memoSize = 0;

  constructor(readonly profile: LatencyProfile) {
    if (!isComplete(profile)) throw new LatencyRangeError(`the profile “${profile.name}” is not complete (${profile.units.length} of ${profile.plan.units} units measured): resume it first`);
    this.resolution = profile.resolution;
    this.calibration = profile.calibration!;
    const groups = new Map<string, ProfileUnit[]>();
    for (const u of profile.units) {
      const key = familyKey(u);
      const list = groups.get(key);
      if (list) list.push(u);
      else groups.set(key, [u]);
    }
    for (const [key, units] of groups) this.families.set(key, new Family(units));
  }

  /** one unit's table time, or a LatencyRangeError naming what the profile lacks */
  unitTime(op: ProfileOp): Lookup {
    const family = this.families.get(familyKey(op));
    if (!family) throw new LatencyRangeError(`the profile has no ${familyLabel(op)} (profiled at ${this.resolution}×${this.resolution} px): its latency cannot be predicted from it`);
    return family.lookup(op);
  }

  /** half the cost of moving a tensor in and out of a session: a unit alone pays it once for its input, once for its output */
  private moveTime(channels: number, side: number): Lookup {
    const m = this.unitTime({ op: 'move', side, channels });
    return { ms: m.ms / 2, extrapolated: m.extrapolated };
  }

  private addUnit(sums: UnitSums, op: LatencyOp): void {
    const t = this.unitTime(op);
    sums.unitMs += t.ms;
    sums.units++;
    let extrapolated = t.extrapolated;
    const moves: [number, number][] =
      op.op === 'pool'
        ? [[op.channels, op.side], [op.channels, Math.floor(op.side / 2)]]
        : [[op.cin, op.side], [op.cout, unitOutputSide(op)], ...(op.epilogue === 'add-relu' ? ([[op.cout, unitOutputSide(op)]] as [number, number][]) : [])];
    for (const [c, side] of moves) {
      const m = this.moveTime(c, side);
      sums.moveMs += m.ms;
      extrapolated ||= m.extrapolated;
    }
    if (extrapolated) sums.extrapolated++;
  }

  private sumsOf(ops: readonly LatencyOp[]): UnitSums {
    const sums: UnitSums = { unitMs: 0, moveMs: 0, extrapolated: 0, units: 0 };
    for (const op of ops) this.addUnit(sums, op);
    return sums;
  }

  /** a block's first inner and each further inner, on an input of side `side`, memoised without L */
  private blockEntry(b: Block, side: number, blockIndex: number): { first: BlockCost; more: UnitSums } {
    let bySide = this.memo.get(side);
    if (!bySide) this.memo.set(side, (bySide = new Map()));
    const key = blockKey(b);
    let entry = bySide.get(key);
    if (entry) return entry;
    if (++this.memoSize > MEMO_LIMIT) {
      this.memo.clear();
      this.memo.set(side, (bySide = new Map()));
      this.memoSize = 1;
    }
    try {
      if (b.L === undefined) {
        const r = blockOps(b, side);
        entry = { first: { ...this.sumsOf(r.ops), side: r.side }, more: { unitMs: 0, moveMs: 0, extrapolated: 0, units: 0 } };
      } else {
        const one = blockOps({ ...b, L: 1 }, side);
        const two = blockOps({ ...b, L: 2 }, side);
        entry = { first: { ...this.sumsOf(one.ops), side: one.side }, more: this.sumsOf(two.ops.slice(one.ops.length)) };
      }
    } catch (e) {
      if (e instanceof LatencyRangeError) throw new LatencyRangeError(`block ${blockIndex} (${b.class}): ${e.message}`, { blockIndex });
      throw e;
    }
    bySide.set(key, entry);
    return entry;
  }

  /** The network's unit sums at the profile's input size; throws a LatencyRangeError for a unit the profile cannot time. */
  sums(structure: Structure): UnitSums {
    const total: UnitSums = { unitMs: 0, moveMs: 0, extrapolated: 0, units: 0 };
    let side = this.resolution;
    for (let i = 0; i < structure.length; i++) {
      const b = structure[i];
      const { first, more } = this.blockEntry(b, side, i);
      // inners after the first are alike: L − 1 times the second
      const extra = (b.L ?? 1) - 1;
      total.unitMs += first.unitMs + extra * more.unitMs;
      total.moveMs += first.moveMs + extra * more.moveMs;
      total.extrapolated += first.extrapolated + extra * more.extrapolated;
      total.units += first.units + extra * more.units;
      side = first.side;
    }
    return total;
  }

  /** calibrated latency in ms: what the search's budget compares; +∞ for a network the profile cannot time (TinyNAS: any error → ∞) */
  predictMs(structure: Structure): number {
    try {
      return calibrated(this.calibration, this.sums(structure));
    } catch (e) {
      if (e instanceof LatencyRangeError) return Infinity;
      throw e;
    }
  }

  /** everything about one prediction, for the views and the CLI */
  predict(structure: Structure): LatencyPrediction {
    const sums = this.sums(structure);
    const notes = networkOps(structure, this.resolution).notes.map((n) => `block ${n.blockIndex}: ${n.note}`);
    return { ...sums, ms: calibrated(this.calibration, sums), resolution: this.resolution, notes };
  }
}

/**
 * Least squares of measured ≈ a + b·U + c·M over the calibration networks. A network does not
 * pay its units' moves, but can do no better than drop them all: c is held to [−b, 0] (at the
 * bound, a and b are fitted again), since U and M grow together and a dozen noisy networks can
 * trade one for the other. With fewer than five networks, or when the fit is degenerate or gives
 * a unit scale ≤ 0 (noise), the plain scale measured ≈ b·U is used.
 */
export function fitCalibration(points: readonly { unitMs: number; moveMs: number; measuredMs: number }[]): Calibration {
  const scaleOnly = (): Calibration => {
    let num = 0;
    let den = 0;
    for (const p of points) {
      num += p.unitMs * p.measuredMs;
      den += p.unitMs * p.unitMs;
    }
    return { intercept: 0, unitScale: den > 0 ? num / den : 1, moveScale: 0 };
  };
  if (points.length < 5) return scaleOnly();
  const rows = points.map((p) => [1, p.unitMs, p.moveMs]);
  const a = [0, 1, 2].map((r) => [0, 1, 2].map((c) => rows.reduce((s, x) => s + x[r] * x[c], 0)));
  const y = [0, 1, 2].map((r) => rows.reduce((s, x, i) => s + x[r] * points[i].measuredMs, 0));
  const w = solve3(a, y);
  if (!w || !(w[1] > 0)) return scaleOnly();
  if (w[2] <= 0 && w[2] >= -w[1]) return { intercept: w[0], unitScale: w[1], moveScale: w[2] };
  // c at its bound: 0, or −b (measured ≈ a + b·(U − M))
  const dropped = w[2] > 0 ? 0 : 1;
  const line = fitLine(points.map((p) => ({ x: p.unitMs - dropped * p.moveMs, y: p.measuredMs })));
  if (!line || !(line.slope > 0)) return scaleOnly();
  return { intercept: line.intercept, unitScale: line.slope, moveScale: dropped === 0 ? 0 : -line.slope };
}

/** least squares y ≈ intercept + slope·x; null without spread in x */
function fitLine(points: readonly { x: number; y: number }[]): { intercept: number; slope: number } | null {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
  }
  if (!(sxx > 0)) return null;
  const slope = sxy / sxx;
  return { intercept: my - slope * mx, slope };
}

/** Gaussian elimination with partial pivoting; null when singular */
function solve3(a: number[][], y: number[]): number[] | null {
  const m = a.map((row, i) => [...row, y[i]]);
  const n = 3;
  for (let p = 0; p < n; p++) {
    let pivot = p;
    for (let r = p + 1; r < n; r++) if (Math.abs(m[r][p]) > Math.abs(m[pivot][p])) pivot = r;
    if (Math.abs(m[pivot][p]) < 1e-12 * Math.max(1, Math.abs(m[0][0]))) return null;
    [m[p], m[pivot]] = [m[pivot], m[p]];
    for (let r = 0; r < n; r++) {
      if (r === p) continue;
      const f = m[r][p] / m[p][p];
      for (let c = p; c <= n; c++) m[r][c] -= f * m[p][c];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}
