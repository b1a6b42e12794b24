/**
 * Where a chart's labels go so that none overlaps another or leaves its chart: reference-network
 * labels beside their markers, labels above a vertical line, and axis tick labels. The placement
 * is pure (boxes in, boxes out; tested without a DOM); only `textMeasure` reads the page's font.
 */

/** a rectangle in a chart's pixels: left, top, width, height */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** a label's size */
export interface Size {
  width: number;
  height: number;
}

/** a label to place: the boxes it may take, best first, and the region it must stay in */
export interface LabelRequest {
  candidates: readonly Box[];
  within: Box;
}

export const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

export const inside = (a: Box, region: Box) => a.x >= region.x && a.y >= region.y && a.x + a.width <= region.x + region.width && a.y + a.height <= region.y + region.height;

/**
 * Each label, in the order given (the more important first), takes its first candidate box that
 * stays inside its region and overlaps neither an obstacle nor a label placed before it; a label
 * none of whose candidates fits is left out (null), and the chart names it elsewhere.
 */
export function placeLabels(requests: readonly LabelRequest[], obstacles: readonly Box[] = []): (Box | null)[] {
  const taken: Box[] = [...obstacles];
  return requests.map(({ candidates, within }) => {
    const box = candidates.find((c) => inside(c, within) && !taken.some((t) => overlaps(c, t)));
    if (box) taken.push(box);
    return box ?? null;
  });
}

/**
 * Boxes for a label beside a marker at (x, y), `gap` pixels from its centre: to the right, to the
 * left, then the same a line higher and a line lower.
 */
export function besideMarker(x: number, y: number, { width, height }: Size, gap: number): Box[] {
  const right = x + gap;
  const left = x - gap - width;
  const rows = [y - height / 2, y - height * 1.5, y + height / 2];
  return rows.flatMap((top) => [
    { x: right, y: top, width, height },
    { x: left, y: top, width, height },
  ]);
}

/** Boxes for a label over a vertical line at x whose bottom is at `bottom`: centred on it, then starting at it, then ending at it. */
export function aboveLine(x: number, bottom: number, { width, height }: Size): Box[] {
  const top = bottom - height;
  return [x - width / 2, x + 2, x - 2 - width].map((left) => ({ x: left, y: top, width, height }));
}

type TextAnchor = 'start' | 'middle' | 'end';

/** an axis tick and its label where it is drawn */
export interface PlacedTick {
  value: number;
  label: string;
  /** the tick's pixel along the axis */
  at: number;
  /** how its label is anchored at `at`: centred unless that would take it past the axis's ends */
  anchor: TextAnchor;
}

/** what `fitTicks` needs of an axis */
export interface TickAxis {
  /** round-numbered ticks, about `count` of them (fewer, coarser ticks for a smaller count) */
  ticks(count: number): readonly number[];
  format(value: number): string;
  /** a value's pixel along the axis */
  position(value: number): number;
  /** a label's extent along the axis, in pixels */
  extent(label: string): number;
  /** the pixels a label may take along the axis: the chart's own box, so nothing is clipped */
  bounds: readonly [number, number];
  /** the least space between two labels */
  gap: number;
}

/** the span a tick's label takes along the axis, and its anchor */
function tickSpan(at: number, extent: number, [lo, hi]: readonly [number, number]): { from: number; to: number; anchor: TextAnchor } {
  if (at - extent / 2 < lo) return { from: at, to: at + extent, anchor: 'start' };
  if (at + extent / 2 > hi) return { from: at - extent, to: at, anchor: 'end' };
  return { from: at - extent / 2, to: at + extent / 2, anchor: 'middle' };
}

const MOST_TICKS = 8;

/**
 * The most ticks (at most eight) whose labels fit the axis side by side: each label is centred on
 * its tick, or anchored at its end when centring would take it out of the chart; fewer, coarser
 * ticks are tried until none overlaps. If even the fewest collide (a very narrow chart), the
 * labels that would overlap the one before them are left out.
 */
export function fitTicks(axis: TickAxis): PlacedTick[] {
  const layout = (count: number) =>
    axis.ticks(count).map((value) => {
      const label = axis.format(value);
      const at = axis.position(value);
      return { value, label, at, ...tickSpan(at, axis.extent(label), axis.bounds) };
    });
  const spaced = (row: ReturnType<typeof layout>) => row.every((t, i) => i === 0 || t.from - row[i - 1].to >= axis.gap);
  let row = layout(MOST_TICKS);
  for (let count = MOST_TICKS - 1; count >= 2 && !spaced(row); count--) row = layout(count);
  const kept: typeof row = [];
  for (const t of row) {
    const inBounds = t.from >= axis.bounds[0] && t.to <= axis.bounds[1];
    if (inBounds && (kept.length === 0 || t.from - kept[kept.length - 1].to >= axis.gap)) kept.push(t);
  }
  return kept.map(({ value, label, at, anchor }) => ({ value, label, at, anchor }));
}

/** a text's width estimated from its length: about 0.59 em a character (6.5 px at 11 px) */
export const estimatedTextWidth = (text: string, fontSize: number) => text.length * fontSize * 0.59;

let measuring: CanvasRenderingContext2D | null | undefined;

/**
 * A text's width in the page's font at `fontSize` px, measured on a canvas (no layout, no DOM
 * node): SVG text is drawn in the same font, so the label boxes are its real boxes. Without a
 * canvas (a host with no page) the width is estimated.
 */
export function textMeasure(fontSize: number): (text: string) => number {
  if (measuring === undefined) measuring = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  const context = measuring;
  if (!context) return (text) => estimatedTextWidth(text, fontSize);
  const font = `${fontSize}px ${getComputedStyle(document.documentElement).fontFamily}`;
  return (text) => {
    context.font = font;
    return context.measureText(text).width;
  };
}
