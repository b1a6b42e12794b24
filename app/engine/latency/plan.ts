/**
 * The sampling plan of a device profile: which units to time, and which whole networks to time
 * end to end for the calibration. It is read off the space itself: mutation walks of the run's
 * config (its seed, space and budgets) give the units networks of the space are made of; per
 * family (kind, kernel, stride, epilogue, input side) a sparse grid over the channels they use —
 * the quantiles of C_in × the quantiles of C_out — plus every unit of the published MAE-DET
 * networks and the search seeds, exactly. The calibration networks: the seed, walked networks
 * spread over FLOPs, and the best networks of short searches (what a budgeted search will pick is
 * of that kind). Deterministic: the same config and resolution give the
 * same plan on every host.
 */
import type { Structure } from '../block';
import { flopsAt } from '../cost';
import type { RunConfig } from '../config';
import { Evaluator, mutateOptionsOf, Search } from '../evolution/search';
import { mutationWalks } from '../evolution/walks';
import { REFERENCE_NETWORKS } from '../referenceNetworks';
import { Rng } from '../rng';
import { structureKey } from '../structure';
import { networkOps, unitOutputSide, type LatencyOp } from './ops';
import { unitKey, type ProfileOp } from './profile';

export interface LatencyPlan {
  name: string;
  /** a digest of its units and networks: a partial profile resumes only the plan it was made of */
  id: string;
  resolution: number;
  units: ProfileOp[];
  /** timed end to end for the calibration */
  networks: { name: string; structure: Structure }[];
}

export interface PlanOptions {
  /** 2 × 2 channel grids and 4 calibration networks: a plan of seconds, for tests and a first look */
  quick?: boolean;
}

const PLAN_SEED = 2026;
const WALK_LENGTH = 30;
const WALK_NETWORKS = 1000;
const FULL_QUANTILES = [0, 0.25, 0.5, 0.75, 1];
const QUICK_QUANTILES = [0, 1];
/** calibration networks: the seed, walked networks spread over FLOPs, and the best of short searches */
const FULL_CALIBRATION = { walked: 7, searched: 4 };
const QUICK_CALIBRATION = { walked: 4, searched: 2 };
const CALIBRATION_SEARCH_CHILDREN = 1500;
/** the reference networks whose every unit the plan times exactly: the detection seeds and MAE-DET-S/M/L */
const EXACT_NETWORKS = ['r50_det_seed', 'r50_det_seed_5block', 'maedet_s', 'maedet_m', 'maedet_l'];

/** the values at the given quantiles of a list (nearest rank), distinct and sorted */
function quantileValues(values: number[], quantiles: readonly number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  return [...new Set(quantiles.map((q) => sorted[Math.round(q * (sorted.length - 1))]))];
}

function familyOf(op: LatencyOp): string {
  return op.op === 'conv' ? `${op.kind} ${op.k} ${op.stride} ${op.epilogue} ${op.side}` : `pool ${op.side}`;
}

/** FNV-1a (32 bits) of the units' keys and the calibration networks, as 8 hex digits */
function planDigest(units: readonly ProfileOp[], networks: readonly { name: string; structure: Structure }[]): string {
  let h = 0x811c9dc5;
  for (const text of [...units.map(unitKey), ...networks.map((n) => `${n.name} ${structureKey(n.structure)}`)]) {
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ 10, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** the best of a short search at a fraction (i + 1)/n of the config's FLOPs budget (its own budget when it has none) */
function searchedNetwork(config: RunConfig, i: number, n: number): Structure {
  const flops = config.budgets.flops === null ? null : Math.max(flopsAt(config.model.structure, config.imageSize), (config.budgets.flops * (i + 1)) / n);
  const search = Search.create({
    ...config,
    latencyProfile: null,
    budgets: { ...config.budgets, flops, latency: null },
    search: { ...config.search, numRandomNets: CALIBRATION_SEARCH_CHILDREN, popuSize: 64, workers: 1, seed: PLAN_SEED + i },
  });
  search.advance(CALIBRATION_SEARCH_CHILDREN);
  return search.best().structure;
}

/** The plan for a run config's space at an input side. */
export function latencyPlan(config: RunConfig, resolution: number, options: PlanOptions = {}): LatencyPlan {
  const quantiles = options.quick ? QUICK_QUANTILES : FULL_QUANTILES;
  const evaluator = new Evaluator(config);
  const walked: Structure[] = [];
  for (const { structure } of mutationWalks(config.model.structure, Rng.fromSeed(PLAN_SEED), { mutate: mutateOptionsOf(config), walkLength: WALK_LENGTH, accept: (s) => evaluator.costs(s) })) {
    walked.push(structure);
    if (walked.length === WALK_NETWORKS) break;
  }
  const families = new Map<string, LatencyOp[]>();
  const tensors = new Map<number, number[]>();
  const tensor = (side: number, channels: number) => {
    const list = tensors.get(side);
    if (list) list.push(channels);
    else tensors.set(side, [channels]);
  };
  for (const s of [config.model.structure, ...walked]) {
    for (const op of networkOps(s, resolution).ops) {
      const key = familyOf(op);
      const list = families.get(key);
      if (list) list.push(op);
      else families.set(key, [op]);
      if (op.op === 'pool') tensor(op.side, op.channels);
      else {
        tensor(op.side, op.cin);
        tensor(unitOutputSide(op), op.cout);
      }
    }
  }
  const units = new Map<string, ProfileOp>();
  const add = (op: ProfileOp) => units.set(unitKey(op), op);
  for (const ops of families.values()) {
    const first = ops[0];
    if (first.op === 'pool') {
      for (const channels of quantileValues(ops.map((o) => (o as typeof first).channels), quantiles)) add({ ...first, channels });
    } else if (first.kind === 'depthwise') {
      for (const c of quantileValues(ops.map((o) => (o as typeof first).cin), quantiles)) add({ ...first, cin: c, cout: c });
    } else {
      const cins = quantileValues(ops.map((o) => (o as typeof first).cin), quantiles);
      const couts = quantileValues(ops.map((o) => (o as typeof first).cout), quantiles);
      for (const cin of cins) for (const cout of couts) add({ ...first, cin, cout });
    }
  }
  for (const [side, channels] of tensors) for (const c of quantileValues(channels, quantiles)) add({ op: 'move', side, channels: c });
  const exact = REFERENCE_NETWORKS.filter((n) => EXACT_NETWORKS.includes(n.name));
  for (const n of exact) for (const op of networkOps(n.structure, resolution).ops) add(op);
  const counts = options.quick ? QUICK_CALIBRATION : FULL_CALIBRATION;
  const byFlops = [...walked].sort((a, b) => flopsAt(a, resolution) - flopsAt(b, resolution));
  const networks = [{ name: config.model.seedName ?? 'seed', structure: config.model.structure }];
  for (let i = 0; i < counts.walked && byFlops.length > 0; i++) networks.push({ name: `walk ${i + 1}`, structure: byFlops[Math.round(((i + 0.5) / counts.walked) * (byFlops.length - 1))] });
  // the networks a search picks are deeper and wider than walks meet: calibrate on some too
  for (let i = 0; i < counts.searched; i++) networks.push({ name: `searched ${i + 1}`, structure: searchedNetwork(config, i, counts.searched) });
  // and time every unit of the calibration networks exactly, so that the calibration fits the
  // units' sum, not the grid's interpolation of it — and the region a search ends in is measured
  for (const n of networks) for (const op of networkOps(n.structure, resolution).ops) add(op);
  const unitList = [...units.values()];
  return {
    name: `${options.quick ? 'quick' : 'full'} ${config.space.type} plan (${config.model.seedName ?? 'custom seed'})`,
    id: planDigest(unitList, networks),
    resolution,
    units: unitList,
    networks,
  };
}
