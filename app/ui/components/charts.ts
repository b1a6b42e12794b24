/** Data preparation for the charts (pure functions, tested without a DOM). */
import { formatWithUnit } from '../../engine/units';

export type XAxisKey = 'flops' | 'params' | 'layers' | 'latency';
export const X_AXIS_LABEL: Record<XAxisKey, string> = { flops: 'FLOPs at the search resolution', params: 'Params', layers: 'Layers', latency: 'Predicted latency (ms)' };

/** axis ticks: three significant digits with a unit */
export const tickLabel = (value: number) => formatWithUnit(value, 3);

/** 1, 2 or 5 times a power of ten, at least `x` */
function niceStep(x: number): number {
  const power = 10 ** Math.floor(Math.log10(x));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= x)!;
}

/**
 * Round-numbered ticks inside a domain, about `count` of them (three to eight for the default):
 * recharts' own tick search is costly
 */
export function axisTicks([lo, hi]: readonly [number, number], count = 8): number[] {
  const step = niceStep((hi - lo) / count);
  // rounded to the step's decimals, so 3 × 0.05 shows as 0.15, not 0.15000000000000002
  const decimals = Math.min(20, Math.max(0, -Math.floor(Math.log10(step))));
  const ticks: number[] = [];
  for (let i = Math.ceil(lo / step); i * step <= hi; i++) ticks.push(Number((i * step).toFixed(decimals)));
  return ticks.filter((t) => t >= lo && t <= hi);
}

/**
 * An axis domain for values drawn outside recharts: the values padded by 10% and snapped to nice
 * numbers, kept (same array) while the values stay inside it and fill at least half of it. Axes
 * then move only now and then during a search, and recharts, whose work is in its axes, rests.
 */
export function stableDomain(previous: [number, number] | null, values: readonly number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return previous ?? [0, 1];
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  if (previous && lo >= previous[0] && hi <= previous[1] && hi - lo >= 0.5 * (previous[1] - previous[0])) return previous;
  // a flat or tiny set of values still gets an axis around it
  const pad = Math.max((hi - lo) * 0.1, Math.abs(hi) * 0.01, 1e-6);
  const step = niceStep((hi - lo + 2 * pad) / 10);
  const next: [number, number] = [Math.floor((lo - pad) / step) * step, Math.ceil((hi + pad) / step) * step];
  // snapping often lands on the same axis again: keep the old array then, so nothing re-renders
  return previous && next[0] === previous[0] && next[1] === previous[1] ? previous : next;
}

/** score axis ticks: whole numbers */
export const scoreTick = (value: number) => value.toFixed(0);

/** score ticks with as many decimals as their step needs, so ticks 0.5 apart do not read "1, 1" */
export function scoreTickFormat(ticks: readonly number[]): (value: number) => string {
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
  const decimals = Math.min(20, Math.max(0, -Math.floor(Math.log10(step) + 1e-9)));
  return (value) => value.toFixed(decimals);
}

/** a measured-against chart's axis: its title, a value in words (summary, readout, tooltip), and its ticks' format */
export interface ScatterAxis {
  title: string;
  value: (v: number) => string;
  tickFormat: (ticks: readonly number[]) => (v: number) => string;
}

/** plain numbers with two decimals */
export const NUMBER_AXIS = { value: (v: number) => v.toFixed(2), tickFormat: scoreTickFormat } satisfies Omit<ScatterAxis, 'title'>;
