import { usePlotArea, useXAxisScale, useYAxisScale } from 'recharts';

/**
 * Grid lines at the given ticks, as one SVG path on the chart's scales. recharts' <CartesianGrid>
 * re-derives its lines with arbitrary-precision arithmetic on every chart update, the costliest
 * part of one.
 */
export function GridLines({ xTicks, yTicks }: { xTicks: readonly number[]; yTicks: readonly number[] }) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  const area = usePlotArea();
  if (!x || !y || !area) return null;
  const vertical = xTicks.map((t) => `M${(x(t) ?? 0).toFixed(1)} ${area.y}v${area.height}`);
  const horizontal = yTicks.map((t) => `M${area.x} ${(y(t) ?? 0).toFixed(1)}h${area.width}`);
  return <path d={[...vertical, ...horizontal].join('')} className="grid-lines" />;
}
