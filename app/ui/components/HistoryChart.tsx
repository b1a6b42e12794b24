import { memo, useCallback, useDeferredValue, useMemo } from 'react';
import { seriesPoints } from '../../engine/evolution/historySeries';
import type { HistoryPoint } from '../../engine/evolution/search';
import { formatCount } from '../format';
import { useConfigStore } from '../stores/configStore';
import { useRunStore, type RunState } from '../stores/runStore';
import { ChartFrame, type Scales } from './ChartFrame';
import { ChartKeys, type ChartPoint, type ChartSeries } from './ChartKeys';
import { axisTicks, scoreTickFormat, tickLabel } from './charts';
import { PlotCanvas, type PlotDescribe, type PlotDraw } from './PlotCanvas';
import { useRunDomain } from './useStableDomain';

const NAME = 'Progress: best and median entropy score against children evaluated';
const EMPTY = 'No search run yet';
const KEYS_HELP = 'On the chart: ← and → step through the run, Home and End go to its start and end; ↑ and ↓ switch between the best and the median.';

const watchHistory = (s: RunState) => s.history;
const pointsLabel = (n: number) => `best and median score at ${n} points of the run`;
const readScores = ({ history }: RunState) => seriesPoints(history).flatMap((p) => [p.best, p.median]);

const describe: PlotDescribe = ({ history, progress }) => {
  const latest = seriesPoints(history).at(-1);
  if (!latest) return { name: NAME, summary: `${EMPTY}: the best and the median score of the population appear here as it runs.` };
  const of = progress ? ` of ${formatCount(progress.total)}` : '';
  return {
    name: `${NAME}, ${formatCount(latest.evaluated)} children`,
    summary: `After ${formatCount(latest.evaluated)}${of} children: best score ${latest.best.toFixed(1)}, median ${latest.median.toFixed(1)}.`,
  };
};

/** the run's points of one curve, for the keyboard */
const curvePoints = (points: readonly HistoryPoint[], which: 'best' | 'median'): ChartPoint[] =>
  points.map((p) => ({ x: p.evaluated, y: p[which], text: `score ${p[which].toFixed(1)} after ${formatCount(p.evaluated)} children` }));

const read = (): ChartSeries[] => {
  const points = seriesPoints(useRunStore.getState().history);
  return [
    { name: 'best', points: curvePoints(points, 'best') },
    { name: 'median', points: curvePoints(points, 'median') },
  ];
};

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
  return <PlotCanvas scales={scales} draw={draw} watch={watchHistory} label={pointsLabel} describe={describe} className="curves" />;
}

const Chart = memo(function Chart({ xDomain, yDomain, empty }: { xDomain: [number, number]; yDomain: [number, number]; empty: boolean }) {
  const yFormat = useMemo(() => scoreTickFormat(axisTicks(yDomain)), [yDomain]);
  return <ChartFrame height={240} xDomain={xDomain} yDomain={yDomain} xFormat={tickLabel} yFormat={yFormat} xTitle="children evaluated" yTitle="entropy score" empty={empty ? EMPTY : undefined} overlay={(scales) => <Curves scales={scales} />} />;
});

/** the children the set-up being edited asks for, or 1 while its field does not hold a count */
const draftChildren = (text: string) => {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : 1;
};

/**
 * Best and median score against children evaluated, over the whole run's length. Before a run the
 * x axis already spans the children the set-up asks for, and the plot says that nothing ran yet.
 */
export function HistoryChart() {
  const planned = useConfigStore((s) => draftChildren(s.draft.children));
  // deferred: the axes re-render in slices React can interrupt, after the report's task
  const total = useDeferredValue(useRunStore((s) => s.progress?.total ?? planned));
  const empty = useDeferredValue(useRunStore((s) => s.history.latest === null));
  const xDomain = useMemo((): [number, number] => [0, total], [total]);
  const yDomain = useRunDomain(watchHistory, readScores);
  return (
    <section className="panel chart" data-testid="history-chart">
      <h2>Progress</h2>
      <ChartKeys name={NAME} read={read} help={KEYS_HELP}>
        <Chart xDomain={xDomain} yDomain={yDomain} empty={empty} />
      </ChartKeys>
      <p className="legend">
        <span className="swatch population" /> best <span className="swatch median" /> median of the population
      </p>
    </section>
  );
}
