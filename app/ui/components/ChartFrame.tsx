import { useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { axisTicks } from './charts';

/** where the data go, in the frame's pixels */
export interface PlotArea {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** the frame's linear scales: a value to its pixel (y larger values higher) */
export interface Scales {
  area: PlotArea;
  x(value: number): number;
  y(value: number): number;
}

const MARGIN = { top: 18, right: 24, bottom: 40, left: 64 };
const TICK = 5;

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

/**
 * The frame of a live chart — grid, axes with round-numbered ticks, axis titles — as a few SVG
 * elements React renders only when a domain or the width changes. It replaces recharts for the
 * studio's two live charts: recharts re-derives its whole state through its own store on any
 * change, 80–160 ms on a freshly opened page, and a search moves the axes now and then. The data
 * are drawn by `overlay` (a canvas over the plot area), `marks` adds SVG on the same scales.
 */
export function ChartFrame({ height, xDomain, yDomain, xFormat, yFormat, xTitle, yTitle, marks, overlay }: { height: number; xDomain: readonly [number, number]; yDomain: readonly [number, number]; xFormat: (v: number) => string; yFormat: (v: number) => string; xTitle: string; yTitle: string; marks?: (s: Scales) => ReactNode; overlay: (s: Scales) => ReactNode }) {
  const [width, ref] = useWidth();
  const scales = useMemo((): Scales => {
    const area = { x: MARGIN.left, y: MARGIN.top, width: Math.max(1, width - MARGIN.left - MARGIN.right), height: height - MARGIN.top - MARGIN.bottom };
    const [x0, x1] = xDomain;
    const [y0, y1] = yDomain;
    return { area, x: (v) => area.x + ((v - x0) / (x1 - x0 || 1)) * area.width, y: (v) => area.y + area.height - ((v - y0) / (y1 - y0 || 1)) * area.height };
  }, [width, height, xDomain, yDomain]);
  const xTicks = useMemo(() => axisTicks(xDomain), [xDomain]);
  const yTicks = useMemo(() => axisTicks(yDomain), [yDomain]);
  const { area } = scales;
  const bottom = area.y + area.height;
  return (
    <div ref={ref} className="chart-frame" style={{ height }}>
      {width > 0 && (
        <svg width={width} height={height} aria-hidden="true">
          <path className="grid-lines" d={[...xTicks.map((t) => `M${scales.x(t).toFixed(1)} ${area.y}v${area.height}`), ...yTicks.map((t) => `M${area.x} ${scales.y(t).toFixed(1)}h${area.width}`)].join('')} />
          <path className="axis-line" d={`M${area.x} ${area.y}V${bottom}H${area.x + area.width}${xTicks.map((t) => `M${scales.x(t).toFixed(1)} ${bottom}v${TICK}`).join('')}${yTicks.map((t) => `M${area.x} ${scales.y(t).toFixed(1)}h${-TICK}`).join('')}`} />
          <g className="tick" textAnchor="middle">
            {xTicks.map((t) => (
              <text key={t} x={scales.x(t)} y={bottom + TICK + 2} dy="0.71em">
                {xFormat(t)}
              </text>
            ))}
          </g>
          <g className="tick" textAnchor="end">
            {yTicks.map((t) => (
              <text key={t} x={area.x - TICK - 2} y={scales.y(t)} dy="0.32em">
                {yFormat(t)}
              </text>
            ))}
          </g>
          <text className="axis-title" x={area.x + area.width / 2} y={height - 4} textAnchor="middle">
            {xTitle}
          </text>
          <text className="axis-title" x={4} y={area.y - 6}>
            {yTitle}
          </text>
          {marks?.(scales)}
        </svg>
      )}
      {width > 0 && overlay(scales)}
    </div>
  );
}
