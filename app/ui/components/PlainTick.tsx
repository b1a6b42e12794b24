import type { BaseTickContentProps } from 'recharts';

const DY = { start: '0.71em', middle: '0.32em', end: 0 } as const;

/**
 * An axis tick label as plain SVG text. recharts' own <Text> measures every label in the DOM (to
 * wrap words) on each update, which was the larger part of a chart update during a search.
 */
export function plainTick({ x, y, payload, textAnchor, verticalAnchor, tickFormatter, fill }: BaseTickContentProps) {
  return (
    <text x={x} y={y} dy={DY[verticalAnchor]} textAnchor={textAnchor} fill={fill} className="tick">
      {tickFormatter ? tickFormatter(payload.value, payload.index) : String(payload.value)}
    </text>
  );
}
