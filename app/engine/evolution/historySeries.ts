/**
 * The best/median history as a chart needs it: at most about `HISTORY_POINTS` points whatever the
 * run's length, kept on a grid of children that doubles whenever the points would outgrow it.
 * Absorbing new points costs only those points and the copy of at most 2 × HISTORY_POINTS, so a
 * page following a search of 10⁸ children does the same small work per report as for 10⁴. The
 * last point absorbed is always kept, so the curves end where the search is.
 */
import type { HistoryPoint } from './search';

export const HISTORY_POINTS = 512;

export interface HistorySeries {
  /** kept points, at least `step` children apart, in order */
  readonly points: readonly HistoryPoint[];
  /** the grid, in children */
  readonly step: number;
  /** the newest point absorbed (it may fall between grid points) */
  readonly latest: HistoryPoint | null;
  /** how many points have been absorbed in all */
  readonly absorbed: number;
}

export const NO_HISTORY: HistorySeries = { points: [], step: 1, latest: null, absorbed: 0 };

/** keep a point when it is at least `step` children past the last kept one */
function thin(points: readonly HistoryPoint[], step: number, into: HistoryPoint[]): void {
  for (const p of points) {
    const last = into[into.length - 1];
    if (last === undefined || p.evaluated - last.evaluated >= step) into.push(p);
  }
}

/** the series with `points` (the run's points from index `from` on) absorbed */
export function appendHistory(series: HistorySeries, points: readonly HistoryPoint[], from = series.absorbed): HistorySeries {
  // a report may repeat points the series already has
  const fresh = points.slice(Math.max(0, series.absorbed - from));
  if (fresh.length === 0) return series;
  let step = series.step;
  let kept = series.points.slice();
  thin(fresh, step, kept);
  while (kept.length > HISTORY_POINTS) {
    step *= 2;
    const coarser: HistoryPoint[] = [];
    thin(kept, step, coarser);
    kept = coarser;
  }
  return { points: kept, step, latest: fresh[fresh.length - 1], absorbed: series.absorbed + fresh.length };
}

/** the points to draw: the kept ones and the newest */
export function seriesPoints(series: HistorySeries): readonly HistoryPoint[] {
  const { points, latest } = series;
  return latest === null || points[points.length - 1] === latest ? points : [...points, latest];
}
