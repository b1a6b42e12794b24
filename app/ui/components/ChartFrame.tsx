import { useCallback, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { axisTicks } from './charts';
import { CurrentPointRing } from './ChartKeys';
import { fitTicks, textMeasure, type PlacedTick } from './labelPlacement';

/** where the data go, in the frame's pixels */
export interface PlotArea {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** the frame's linear scales: a value to its pixel (y larger values higher) */
export interface Scales {
  /** the frame's size, in pixels */
  width: number;
  height: number;
  area: PlotArea;
  x(value: number): number;
  y(value: number): number;
}

const MARGIN = { top: 18, right: 24, bottom: 40, left: 64 };
const TICK = 5;
/** the tick labels' font size (app.css) and the height of one */
const TICK_FONT = 12;
const TICK_LINE = 15;
/** the least space between two tick labels: side by side (x axis), one above the other (y axis) */
const TICK_GAP = { x: 8, y: 2 };

const NO_TICKS: PlacedTick[] = [];

/** the width of an element, followed as it resizes */
function useWidth(): [number, React.RefObject<HTMLDivElement | null>] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current!;
    setWidth(element.clientWidth);
    const resized = new ResizeObserver(() => setWidth(element.clientWidth));
    resized.observe(element);
    return () => resized.disconnect();
  }, []);
  return [width, ref];
}

/** the ticks of an axis whose labels fit it: x along the frame's width, y (from the bottom) along its height */
function useTicks(domain: readonly [number, number], format: (v: number) => string, position: (v: number) => number, bounds: readonly [number, number], horizontal: boolean): PlacedTick[] {
  const [from, to] = bounds;
  return useMemo(() => {
    const measure = horizontal ? textMeasure(TICK_FONT) : () => TICK_LINE;
    return fitTicks({ ticks: (count) => axisTicks(domain, count), format, position, extent: measure, bounds: [from, to], gap: horizontal ? TICK_GAP.x : TICK_GAP.y });
  }, [domain, format, position, from, to, horizontal]);
}

/**
 * The frame of a live chart — grid, axes with round-numbered ticks, axis titles — as a few SVG
 * elements React renders only when a domain or the width changes. It replaces recharts for the
 * studio's two live charts: recharts re-derives its whole state through its own store on any
 * change, 80–160 ms on a freshly opened page, and a search moves the axes now and then. The data
 * are drawn by `overlay` (a canvas over the plot area), `marks` adds SVG on the same scales, and
 * the keyboard's current point (ChartKeys) is ringed above both. As many ticks are drawn as
 * their labels fit, none past the frame's edges. With `empty` (no data yet) the y axis has no
 * ticks and the plot says why.
 */
export function ChartFrame({ height, xDomain, yDomain, xFormat, yFormat, xTitle, yTitle, empty, marks, overlay }: { height: number; xDomain: readonly [number, number]; yDomain: readonly [number, number]; xFormat: (v: number) => string; yFormat: (v: number) => string; xTitle: string; yTitle: string; empty?: string; marks?: (s: Scales) => ReactNode; overlay: (s: Scales) => ReactNode }) {
  const [width, ref] = useWidth();
  const scales = useMemo((): Scales => {
    const area = { x: MARGIN.left, y: MARGIN.top, width: Math.max(1, width - MARGIN.left - MARGIN.right), height: height - MARGIN.top - MARGIN.bottom };
    const [x0, x1] = xDomain;
    const [y0, y1] = yDomain;
    return { width, height, area, x: (v) => area.x + ((v - x0) / (x1 - x0 || 1)) * area.width, y: (v) => area.y + area.height - ((v - y0) / (y1 - y0 || 1)) * area.height };
  }, [width, height, xDomain, yDomain]);
  const fromBottom = useCallback((v: number) => height - scales.y(v), [height, scales]);
  // x labels stay right of the y labels (which end left of the tick marks) and inside the frame
  const xTicks = useTicks(xDomain, xFormat, scales.x, [MARGIN.left - TICK, width], true);
  const fittedYTicks = useTicks(yDomain, yFormat, fromBottom, [0, height], false);
  const yTicks = empty === undefined ? fittedYTicks : NO_TICKS;
  const ringAt = useCallback(
    (p: { x: number; y: number }) => {
      const [px, py] = [scales.x(p.x), scales.y(p.y)];
      const { area } = scales;
      return px >= area.x && px <= area.x + area.width && py >= area.y && py <= area.y + area.height ? ([px, py] as const) : null;
    },
    [scales],
  );
  const { area } = scales;
  const bottom = area.y + area.height;
  return (
    <div ref={ref} className="chart-frame" style={{ height }}>
      {width > 0 && (
        <svg width={width} height={height} aria-hidden="true">
          <path className="grid-lines" d={[...xTicks.map((t) => `M${t.at.toFixed(1)} ${area.y}v${area.height}`), ...yTicks.map((t) => `M${area.x} ${scales.y(t.value).toFixed(1)}h${area.width}`)].join('')} />
          <path className="axis-line" d={`M${area.x} ${area.y}V${bottom}H${area.x + area.width}${xTicks.map((t) => `M${t.at.toFixed(1)} ${bottom}v${TICK}`).join('')}${yTicks.map((t) => `M${area.x} ${scales.y(t.value).toFixed(1)}h${-TICK}`).join('')}`} />
          <g className="tick">
            {xTicks.map((t) => (
              <text key={t.value} x={t.at} y={bottom + TICK + 2} dy="0.71em" textAnchor={t.anchor}>
                {t.label}
              </text>
            ))}
          </g>
          <g className="tick" textAnchor="end">
            {yTicks.map((t) => (
              <text key={t.value} x={area.x - TICK - 2} y={scales.y(t.value)} dy="0.32em">
                {t.label}
              </text>
            ))}
          </g>
          <text className="axis-title" x={area.x + area.width / 2} y={height - 4} textAnchor="middle">
            {xTitle}
          </text>
          {/* along the y axis, so the strip above the plot is free for the marks' labels */}
          <text className="axis-title" transform={`translate(14 ${area.y + area.height / 2}) rotate(-90)`} textAnchor="middle">
            {yTitle}
          </text>
          {empty !== undefined && (
            <text className="chart-empty" x={area.x + area.width / 2} y={area.y + area.height / 2} textAnchor="middle">
              {empty}
            </text>
          )}
          {marks?.(scales)}
        </svg>
      )}
      {width > 0 && overlay(scales)}
      {width > 0 && (
        <svg className="chart-ring-layer" width={width} height={height} aria-hidden="true">
          <CurrentPointRing position={ringAt} />
        </svg>
      )}
    </div>
  );
}
