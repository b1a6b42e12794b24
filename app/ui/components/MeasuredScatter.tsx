import { useCallback, useMemo, useState } from 'react';
import { DefaultZIndexes, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZIndexLayer, useXAxisScale, useYAxisScale } from 'recharts';
import { ChartKeys, CurrentPointRing, type ChartPoint, type ChartSeries } from './ChartKeys';
import { axisTicks, stableDomain, type ScatterAxis } from './charts';
import { GridLines } from './GridLines';
import { plainTick, useFittedXTicks, type FittedAxis } from './PlainTick';

const HEIGHT = 240;
const MARGIN = { top: 10, right: 24, bottom: 20, left: 10 };
const Y_AXIS_WIDTH = 70;


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

/** an axis around the values, padded; for values all ≥ 0 (FLOPs, times) it does not reach below 0 */
function domainOf(values: number[]): [number, number] {
  const [lo, hi] = stableDomain(null, values);
  return lo < 0 && values.every((v) => v >= 0) ? [0, hi] : [lo, hi];
}

/**
 * Measured values against another quantity, one point per measured network (measured entropy
 * against the analytic score; the lesson's latency against FLOPs). A module of its own, loaded
 * with the first measurement: recharts is most of the studio's script, and a page that only
 * searches never needs it. As many x ticks are drawn as their labels fit the chart's width.
 */
export function MeasuredScatter({ name, points, x, y }: { name: string; points: { x: number; y: number }[]; x: ScatterAxis; y: ScatterAxis }) {
  const [width, setWidth] = useState(0);
  const xDomain = useMemo(() => domainOf(points.map((p) => p.x)), [points]);
  const yDomain = useMemo(() => domainOf(points.map((p) => p.y)), [points]);
  const yTicks = useMemo(() => axisTicks(yDomain, 6), [yDomain]);
  const yFormat = useMemo(() => y.tickFormat(yTicks), [y, yTicks]);
  const xFormat = useMemo(() => x.tickFormat(axisTicks(xDomain)), [x, xDomain]);
  const xAxis = useMemo<FittedAxis>(() => ({ ticks: (count) => axisTicks(xDomain, count), format: xFormat, fraction: (v) => (v - xDomain[0]) / (xDomain[1] - xDomain[0]) }), [xDomain, xFormat]);
  const { values: xValues, tick: xTick } = useFittedXTicks(width, MARGIN.left + Y_AXIS_WIDTH, MARGIN.right, xAxis);
  const read = useCallback((): ChartSeries[] => {
    const sorted = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
    return [{ name: 'network', points: sorted.map((p) => ({ x: p.x, y: p.y, text: `${x.title} ${x.value(p.x)}, ${y.title} ${y.value(p.y)}` })) }];
  }, [points, x, y]);
  const range = (axis: ScatterAxis, values: number[]) => `${axis.title} ${axis.value(Math.min(...values))} to ${axis.value(Math.max(...values))}`;
  const summary = `${points.length} measured; ${range(x, points.map((p) => p.x))}, ${range(y, points.map((p) => p.y))}.`;
  return (
    <ChartKeys name={name} summary={summary} read={read}>
      <ResponsiveContainer width="100%" height={HEIGHT} onResize={setWidth}>
        <ScatterChart margin={MARGIN} accessibilityLayer={false}>
          <GridLines xTicks={xValues} yTicks={yTicks} />
          <XAxis type="number" dataKey="x" name={x.title} domain={xDomain} ticks={xValues} interval={0} allowDataOverflow tick={xTick} label={{ value: x.title, position: 'insideBottom', offset: -10 }} />
          <YAxis type="number" dataKey="y" name={y.title} domain={yDomain} ticks={yTicks} interval={0} allowDataOverflow width={Y_AXIS_WIDTH} tickFormatter={yFormat} tick={plainTick} label={{ value: y.title, angle: -90, position: 'insideLeft', offset: 4, textAnchor: 'middle' }} />
          <Tooltip formatter={(v, series) => (typeof v === 'number' ? (series === x.title ? x.value(v) : y.value(v)) : String(v))} />
          <Scatter data={points} fill="#2e6fd8" isAnimationActive={false} />
          <Ring />
        </ScatterChart>
      </ResponsiveContainer>
    </ChartKeys>
  );
}
