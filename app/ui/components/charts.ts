/** Data preparation for the charts (pure functions, tested without a DOM). */
import { formatWithUnit } from '../../engine/units';
import type { HistoryPoint } from '../../engine/evolution/search';

/** At most `max` points, always keeping the first and the last (the best only grows). */
export function decimate(points: readonly HistoryPoint[], max: number): HistoryPoint[] {
  if (points.length <= max) return points.slice();
  const step = (points.length - 1) / (max - 1);
  const out: HistoryPoint[] = [];
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * step)]);
  return out;
}

export type XAxisKey = 'flops' | 'params' | 'layers';
export const X_AXIS_LABEL: Record<XAxisKey, string> = { flops: 'FLOPs at the search resolution', params: 'Params', layers: 'Layers' };

/** axis ticks: three significant digits with a unit */
export const tickLabel = (value: number) => formatWithUnit(value, 3);

/** [min, max] of the values with 5% padding, for axes whose data is drawn outside recharts */
export function paddedDomain(values: readonly number[]): [number, number] {
  if (values.length === 0) return [0, 1];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.05;
  return [lo - pad, hi + pad];
}
