import { useCallback, useMemo, type ReactElement } from 'react';
import type { BaseTickContentProps } from 'recharts';
import { fitTicks, textMeasure } from './labelPlacement';

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

/** tick labels' font size in the recharts charts (chartKeys.css) and the least space between two */
const TICK_FONT = 11;
const TICK_GAP = 8;

/** a recharts chart's x axis: its candidate ticks for a count, their labels, and where a value sits (0…1 along the axis) */
export interface FittedAxis {
  ticks(count: number): readonly number[];
  format(value: number): string;
  fraction(value: number): number;
}

/**
 * As many x ticks as their labels fit a recharts chart of this width, the last one anchored
 * inside it: the values for `<XAxis ticks>` and the tick renderer. `left` and `right`: the plot's
 * margins (the y axis included); `axis` should be memoised, it is a dependency.
 */
export function useFittedXTicks(width: number, left: number, right: number, axis: FittedAxis): { values: number[]; tick: (p: BaseTickContentProps) => ReactElement } {
  const placed = useMemo(() => {
    const span = Math.max(1, width - left - right);
    return fitTicks({ ticks: axis.ticks, format: axis.format, position: (v) => left + axis.fraction(v) * span, extent: textMeasure(TICK_FONT), bounds: [left - 5, width], gap: TICK_GAP });
  }, [width, left, right, axis]);
  const tick = useCallback(
    (p: BaseTickContentProps) => {
      const at = placed.find((t) => t.value === p.payload.value);
      return at ? plainTick({ ...p, textAnchor: at.anchor, tickFormatter: () => at.label }) : <g />;
    },
    [placed],
  );
  return { values: placed.map((t) => t.value), tick };
}
