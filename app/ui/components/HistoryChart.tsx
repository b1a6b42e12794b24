import { useDeferredValue } from 'react';
import { CartesianGrid, ResponsiveContainer, Scatter, ScatterChart, XAxis, YAxis, useXAxisScale, useYAxisScale } from 'recharts';
import type { HistoryPoint } from '../../engine/evolution/search';
import { useRunStore } from '../stores/runStore';
import { decimate, paddedDomain, tickLabel } from './charts';

/** The two curves as plain SVG paths on the chart's scales (recharts' <Line> measures its path on every update). */
function Curves({ data }: { data: HistoryPoint[] }) {
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

/** Best and median score against children evaluated (decimated to stay smooth on long runs); empty before a run. */
export function HistoryChart() {
  const history = useDeferredValue(useRunStore((s) => s.history));
  const data = decimate(history, 400);
  const last = data[data.length - 1];
  return (
    <section className="panel chart" data-testid="history-chart" data-points={data.length}>
      <h2>Progress</h2>
      <ResponsiveContainer width="100%" height={240}>
        <ScatterChart margin={{ top: 10, right: 24, bottom: 20, left: 10 }}>
          <CartesianGrid strokeOpacity={0.2} />
          <XAxis type="number" dataKey="x" domain={[0, Math.max(1, last?.evaluated ?? 1)]} tickFormatter={tickLabel} allowDataOverflow interval={0} />
          <YAxis type="number" dataKey="y" domain={paddedDomain(data.flatMap((p) => [p.best, p.median]))} width={60} tickFormatter={(v: number) => v.toFixed(0)} allowDataOverflow interval={0} />
          <Scatter data={[]} isAnimationActive={false} />
          <Curves data={data} />
        </ScatterChart>
      </ResponsiveContainer>
      <p className="legend">
        <span className="swatch population" /> best <span className="swatch median" /> median of the population
      </p>
    </section>
  );
}
