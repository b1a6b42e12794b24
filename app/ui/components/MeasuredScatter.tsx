import { useCallback, useMemo, useState } from 'react';
import { DefaultZIndexes, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZIndexLayer, useXAxisScale, useYAxisScale } from 'recharts';
import { ChartKeys, CurrentPointRing, type ChartPoint, type ChartSeries } from './ChartKeys';
import { axisTicks, scoreTickFormat, stableDomain } from './charts';
import { GridLines } from './GridLines';
import { plainTick, useFittedXTicks, type FittedAxis } from './PlainTick';

const HEIGHT = 240;
const MARGIN = { top: 10, right: 24, bottom: 20, left: 10 };
const Y_AXIS_WIDTH = 70;

type Measured = { analytic: number; measured: number };

/** the ring on the point the keyboard is on, on the chart's scales, in front of the dots */
function Ring() {
  const x = useXAxisScale();
  const y = useYAxisScale();
  const position = useCallback(
    (p: ChartPoint) => {
      const [px, py] = [x?.(p.x), y?.(p.y)];
      return px === undefined || py === undefined ? null : ([px, py] as const);
    },
    [x, y],
  );
  return (
    <ZIndexLayer zIndex={DefaultZIndexes.activeDot}>
      <CurrentPointRing position={position} />
    </ZIndexLayer>
  );
}

const range = (values: readonly number[]) => `${Math.min(...values).toFixed(2)} to ${Math.max(...values).toFixed(2)}`;

/**
 * Measured entropy against the analytic score, one point per measured candidate. A module of its
 * own, loaded with the first measurement: recharts is most of the studio's script, and a page that
 * only searches never needs it. As many x ticks are drawn as their labels fit the chart's width.
 */
export function MeasuredScatter({ points }: { points: Measured[] }) {
  const [width, setWidth] = useState(0);
  const xDomain = useMemo(() => stableDomain(null, points.map((p) => p.analytic)), [points]);
  const yDomain = useMemo(() => stableDomain(null, points.map((p) => p.measured)), [points]);
  const yTicks = useMemo(() => axisTicks(yDomain, 6), [yDomain]);
  const yFormat = useMemo(() => scoreTickFormat(yTicks), [yTicks]);
  const xFormat = useMemo(() => scoreTickFormat(axisTicks(xDomain)), [xDomain]);
  const xAxis = useMemo<FittedAxis>(() => ({ ticks: (count) => axisTicks(xDomain, count), format: xFormat, fraction: (v) => (v - xDomain[0]) / (xDomain[1] - xDomain[0]) }), [xDomain, xFormat]);
  const { values: xValues, tick: xTick } = useFittedXTicks(width, MARGIN.left + Y_AXIS_WIDTH, MARGIN.right, xAxis);
  const read = useCallback((): ChartSeries[] => {
    const sorted = [...points].sort((a, b) => a.analytic - b.analytic || a.measured - b.measured);
    return [{ name: 'candidate', points: sorted.map((p) => ({ x: p.analytic, y: p.measured, text: `analytic score ${p.analytic.toFixed(2)}, measured entropy ${p.measured.toFixed(2)}` })) }];
  }, [points]);
  const analytic = points.map((p) => p.analytic);
  const measured = points.map((p) => p.measured);
  const summary = `${points.length} measured; analytic scores ${range(analytic)}, measured entropy ${range(measured)}.`;
  return (
    <ChartKeys name={`Measured entropy against analytic score, ${points.length} candidates`} summary={summary} read={read}>
      <ResponsiveContainer width="100%" height={HEIGHT} onResize={setWidth}>
        <ScatterChart margin={MARGIN} accessibilityLayer={false}>
          <GridLines xTicks={xValues} yTicks={yTicks} />
          <XAxis type="number" dataKey="analytic" name="analytic score" domain={xDomain} ticks={xValues} interval={0} allowDataOverflow tick={xTick} label={{ value: 'analytic score', position: 'insideBottom', offset: -10 }} />
          <YAxis type="number" dataKey="measured" name="measured entropy" domain={yDomain} ticks={yTicks} interval={0} allowDataOverflow width={Y_AXIS_WIDTH} tickFormatter={yFormat} tick={plainTick} label={{ value: 'measured entropy', angle: -90, position: 'insideLeft', offset: 4, textAnchor: 'middle' }} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(2) : String(v))} />
          <Scatter data={points} fill="#2e6fd8" isAnimationActive={false} />
          <Ring />
        </ScatterChart>
      </ResponsiveContainer>
    </ChartKeys>
  );
}
