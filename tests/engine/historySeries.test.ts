// The page's bounded history: whatever the run's length and however reports split it, the series
// stays small, ordered, spread over the whole run, and ends at the newest point.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendHistory, HISTORY_POINTS, NO_HISTORY, seriesPoints, type HistorySeries } from '../../app/engine/evolution/historySeries';
import type { HistoryPoint } from '../../app/engine/evolution/search';

/** a run's history: a point every `gap` children, the best never falling */
const run = (length: number, gap: number): HistoryPoint[] => Array.from({ length }, (_, i) => ({ evaluated: (i + 1) * gap, best: Math.sqrt(i), median: Math.sqrt(i) / 2 }));

/** the history absorbed in reports of the given sizes, as the page receives them */
function absorb(points: HistoryPoint[], reports: number[]): HistorySeries {
  let series = NO_HISTORY;
  let from = 0;
  for (const size of reports) {
    series = appendHistory(series, points.slice(from, from + size), from);
    from += size;
  }
  return appendHistory(series, points.slice(from), from);
}

describe('history series', () => {
  it('keeps every point of a short run', () => {
    const points = run(300, 25);
    const series = absorb(points, [7, 100, 1]);
    expect(series.points).toEqual(points);
    expect(seriesPoints(series)).toEqual(points);
    expect(series.absorbed).toBe(300);
  });

  it('stays bounded, ordered and spread over the run, and ends at the newest point', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40_000 }), fc.integer({ min: 1, max: 300 }), fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 20 }), (length, gap, reports) => {
        const points = run(length, gap);
        const series = absorb(points, reports);
        const drawn = seriesPoints(series);
        expect(series.points.length).toBeLessThanOrEqual(HISTORY_POINTS);
        expect(series.absorbed).toBe(length);
        expect(drawn[0]).toBe(points[0]);
        expect(drawn[drawn.length - 1]).toBe(points[length - 1]);
        for (let i = 1; i < drawn.length; i++) {
          const apart = drawn[i].evaluated - drawn[i - 1].evaluated;
          expect(apart).toBeGreaterThan(0);
          // no hole wider than two grid steps: the curve covers the whole run
          expect(apart).toBeLessThanOrEqual(2 * Math.max(series.step, gap));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('ignores points a report repeats', () => {
    const points = run(1000, 25);
    const once = appendHistory(appendHistory(NO_HISTORY, points.slice(0, 600), 0), points.slice(600), 600);
    const repeated = appendHistory(appendHistory(NO_HISTORY, points.slice(0, 600), 0), points.slice(400), 400);
    expect(repeated).toEqual(once);
    expect(appendHistory(once, [], 1000)).toBe(once);
  });
});
