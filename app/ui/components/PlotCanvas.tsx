import { useEffect, useRef } from 'react';
import { useRunStore, type RunState } from '../stores/runStore';
import type { PlotArea, Scales } from './ChartFrame';
import { useChartText } from './ChartKeys';

/** draws the data on the frame's scales; returns how many points it drew (the chart's `data-points`) */
export type PlotDraw = (ctx: CanvasRenderingContext2D, state: RunState, scales: Scales, colors: CSSStyleDeclaration) => number;

/**
 * A canvas laid over a chart's plot area, ready to draw on in the frame's coordinates: sized to
 * the area at the device's pixel ratio, its transform shifting frame pixels by the area's corner,
 * cleared.
 */
export function plotContext(canvas: HTMLCanvasElement, area: PlotArea, settings?: CanvasRenderingContext2DSettings): CanvasRenderingContext2D {
  const ratio = devicePixelRatio || 1;
  const [w, h] = [Math.round(area.width * ratio), Math.round(area.height * ratio)];
  if (canvas.width !== w || canvas.height !== h) [canvas.width, canvas.height] = [w, h];
  const ctx = canvas.getContext('2d', settings)!;
  ctx.setTransform(ratio, 0, 0, ratio, -area.x * ratio, -area.y * ratio);
  ctx.clearRect(area.x, area.y, area.width, area.height);
  return ctx;
}

/** the chart's accessible name and visible summary for what was drawn */
export type PlotDescribe = (state: RunState, points: number) => { name: string; summary: string };

/**
 * The data of a live chart as a canvas over the plot area, drawn outside React: at most once a
 * frame, when the part of the run store that `watch` picks changes (or `draw`, the frame or the
 * theme does). A report then costs the page one canvas draw — no React render, no SVG to lay out
 * and paint, nothing but the loop over the points — and, with `describe`, two text writes: the
 * enclosing ChartKeys' name and summary. Colours come from the canvas's CSS (`color` and custom
 * properties).
 */
export function PlotCanvas({ scales, draw, watch, label, describe, className, onPick }: { scales: Scales; draw: PlotDraw; watch: (s: RunState) => unknown; label: (points: number) => string; describe?: PlotDescribe; className: string; onPick?: (e: React.MouseEvent<HTMLCanvasElement>, area: PlotArea) => void }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const text = useChartText();
  const { area } = scales;
  useEffect(() => {
    const canvas = ref.current!;
    let frame = 0;
    const paint = () => {
      frame = 0;
      const ctx = plotContext(canvas, area, { willReadFrequently: true });
      const state = useRunStore.getState();
      const points = draw(ctx, state, scales, getComputedStyle(canvas));
      canvas.setAttribute('aria-label', label(points));
      canvas.closest('section')?.setAttribute('data-points', String(points));
      if (describe && text) {
        const { name, summary } = describe(state, points);
        text.describe(name, summary);
      }
    };
    const schedule = () => void (frame ||= requestAnimationFrame(paint));
    schedule();
    const unsubscribe = useRunStore.subscribe((s, before) => watch(s) !== watch(before) && schedule());
    const theme = new MutationObserver(schedule);
    theme.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => {
      unsubscribe();
      theme.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [draw, watch, label, describe, text, scales, area]);
  return <canvas ref={ref} className={className} style={{ left: area.x, top: area.y, width: area.width, height: area.height }} role="img" onClick={onPick && ((e) => onPick(e, area))} />;
}
