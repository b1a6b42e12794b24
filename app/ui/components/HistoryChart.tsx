import { memo, useCallback, useDeferredValue, useMemo } from 'react';
import { seriesPoints } from '../../engine/evolution/historySeries';
import type { HistoryPoint } from '../../engine/evolution/search';
import { useRunStore, type RunState } from '../stores/runStore';
import { ChartFrame, type Scales } from './ChartFrame';
import { scoreTick, tickLabel } from './charts';
import { PlotCanvas, type PlotDraw } from './PlotCanvas';
import { useRunDomain } from './useStableDomain';

const watchHistory = (s: RunState) => s.history;
const pointsLabel = (n: number) => `best and median score at ${n} points of the run`;
const readScores = ({ history }: RunState) => seriesPoints(history).flatMap((p) => [p.best, p.median]);

/** The two curves on a canvas, from the store's bounded history (see historySeries.ts). */
function Curves({ scales }: { scales: Scales }) {
  const draw = useCallback<PlotDraw>((ctx, { history }, s, colors) => {
    const points = seriesPoints(history);
    const curve = (y: (p: HistoryPoint) => number, step: boolean, color: string) => {
      ctx.beginPath();
      points.forEach((p, i) => {
        if (i === 0) ctx.moveTo(s.x(p.evaluated), s.y(y(p)));
        // the best is a staircase: it holds until a child beats it
        else if (step) ctx.lineTo(s.x(p.evaluated), s.y(y(points[i - 1])));
        ctx.lineTo(s.x(p.evaluated), s.y(y(p)));
      });
      ctx.strokeStyle = color;
      ctx.lineWidth = 2;
      ctx.stroke();
    };
    curve((p) => p.median, false, colors.getPropertyValue('--median'));
    curve((p) => p.best, true, colors.color);
    return points.length;
  }, []);
  return <PlotCanvas scales={scales} draw={draw} watch={watchHistory} label={pointsLabel} className="curves" />;
}

const Chart = memo(function Chart({ xDomain, yDomain }: { xDomain: [number, number]; yDomain: [number, number] }) {
  return <ChartFrame height={240} xDomain={xDomain} yDomain={yDomain} xFormat={tickLabel} yFormat={scoreTick} xTitle="children evaluated" yTitle="entropy score" overlay={(scales) => <Curves scales={scales} />} />;
});

/** Best and median score against children evaluated, over the whole run's length; empty before a run. */
export function HistoryChart() {
  // deferred: the axes re-render in slices React can interrupt, after the report's task
  const total = useDeferredValue(useRunStore((s) => s.progress?.total ?? 1));
  const xDomain = useMemo((): [number, number] => [0, total], [total]);
  const yDomain = useRunDomain(watchHistory, readScores);
  return (
    <section className="panel chart" data-testid="history-chart">
      <h2>Progress</h2>
      <Chart xDomain={xDomain} yDomain={yDomain} />
      <p className="legend">
        <span className="swatch population" /> best <span className="swatch median" /> median of the population
      </p>
    </section>
  );
}
