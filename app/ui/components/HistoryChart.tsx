import { memo, useDeferredValue, useMemo } from 'react';
import { ResponsiveContainer, Scatter, ScatterChart, XAxis, YAxis, useXAxisScale, useYAxisScale } from 'recharts';
import type { HistoryPoint } from '../../engine/evolution/search';
import { useRunStore } from '../stores/runStore';
import { decimate, scoreTick, tickLabel } from './charts';
import { GridLines } from './GridLines';
import { plainTick } from './PlainTick';
import { useAxisTicks, useStableDomain } from './useStableDomain';

const MARGIN = { top: 10, right: 24, bottom: 20, left: 10 };
const NO_POINTS: never[] = [];
const MAX_POINTS = 400;

/** the history as drawn: deferred (interruptible rendering) and decimated (smooth on long runs) */
const useCurvePoints = () => decimate(useDeferredValue(useRunStore((s) => s.history)), MAX_POINTS);

/**
 * The two curves as plain SVG paths on the chart's scales (recharts' <Line> measures its path on
 * every update). They follow the store by themselves, so new points leave the axes alone.
 */
function Curves() {
  const data = useCurvePoints();
  const xScale = useXAxisScale();
  const yScale = useYAxisScale();
  if (!xScale || !yScale || data.length === 0) return null;
  const path = (y: (p: HistoryPoint) => number, step: boolean) =>
    data
      .map((p, i) => {
        const [px, py] = [(xScale(p.evaluated) ?? 0).toFixed(1), (yScale(y(p)) ?? 0).toFixed(1)];
        if (i === 0) return `M${px} ${py}`;
        return step ? `H${px}V${py}` : `L${px} ${py}`;
      })
      .join('');
  return (
    <g>
      <path d={path((p) => p.median, false)} className="curve median" />
      <path d={path((p) => p.best, true)} className="curve best" />
    </g>
  );
}

const Chart = memo(function Chart({ xDomain, yDomain }: { xDomain: [number, number]; yDomain: [number, number] }) {
  const xTicks = useAxisTicks(xDomain);
  const yTicks = useAxisTicks(yDomain);
  return (
    <ResponsiveContainer width="100%" height={240}>
      <ScatterChart margin={MARGIN}>
        <GridLines xTicks={xTicks} yTicks={yTicks} />
        <XAxis type="number" dataKey="x" domain={xDomain} ticks={xTicks} tickFormatter={tickLabel} tick={plainTick} allowDataOverflow interval={0} />
        <YAxis type="number" dataKey="y" domain={yDomain} ticks={yTicks} width={60} tickFormatter={scoreTick} tick={plainTick} allowDataOverflow interval={0} />
        <Scatter data={NO_POINTS} isAnimationActive={false} />
        <Curves />
      </ScatterChart>
    </ResponsiveContainer>
  );
});

/** Best and median score against children evaluated, over the whole run's length; empty before a run. */
export function HistoryChart() {
  const data = useCurvePoints();
  const total = useRunStore((s) => s.progress?.total ?? 1);
  const xDomain = useMemo((): [number, number] => [0, total], [total]);
  const yDomain = useStableDomain(data.flatMap((p) => [p.best, p.median]));
  return (
    <section className="panel chart" data-testid="history-chart" data-points={data.length}>
      <h2>Progress</h2>
      <Chart xDomain={xDomain} yDomain={yDomain} />
      <p className="legend">
        <span className="swatch population" /> best <span className="swatch median" /> median of the population
      </p>
    </section>
  );
}
