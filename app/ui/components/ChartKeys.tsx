import { createContext, useCallback, useContext, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import './chartKeys.css';

/** a point the keyboard can land on */
export interface ChartPoint {
  /** where it is drawn, in the chart's data units (the ring goes there) */
  x: number;
  y: number;
  /** what the readout says of it */
  text: string;
  /** what Enter does on it (`compare`: Shift+Enter); returns what to announce. Without it the point is only read. */
  pick?: (compare: boolean) => string;
}

/** points of one kind in x order (ties by y); ↑ and ↓ go from one series to the next */
export interface ChartSeries {
  /** one point of it, for the readout: "candidate 3 of 256" */
  name: string;
  points: readonly ChartPoint[];
}

/** the point the keyboard is on */
interface CurrentPoint {
  series: number;
  point: ChartPoint;
}

/** writes a live chart's name and summary straight into the DOM, so a search report renders no component */
interface ChartText {
  describe(name: string, summary: string): void;
  /** a second line of the summary, e.g. the markers whose labels did not fit */
  note(text: string): void;
}

const CurrentPointContext = createContext<CurrentPoint | null>(null);
const ChartTextContext = createContext<ChartText | null>(null);

/** the enclosing chart's text, for charts drawn outside React (null outside a chart) */
export const useChartText = () => useContext(ChartTextContext);

/** where the keyboard goes: a series and a point's index in it */
interface Position {
  series: number;
  index: number;
}

/** the index of the point in x order nearest to `x` */
function nearestByX(points: readonly ChartPoint[], x: number): number {
  let best = 0;
  for (let i = 1; i < points.length; i++) if (Math.abs(points[i].x - x) < Math.abs(points[best].x - x)) best = i;
  return best;
}

/** where the current point is in freshly read series: the same point, else the nearest in x of its series */
function locate(all: readonly ChartSeries[], current: CurrentPoint): Position | null {
  const points = all[current.series]?.points;
  if (!points || points.length === 0) return null;
  const { x, y, text } = current.point;
  const same = points.findIndex((p) => p === current.point || (p.x === x && p.y === y && p.text === text));
  return { series: current.series, index: same >= 0 ? same : nearestByX(points, x) };
}

/** the next non-empty series from `from`, going `direction` (±1) */
function nextSeries(all: readonly ChartSeries[], from: number, direction: number): number | null {
  for (let s = from + direction; s >= 0 && s < all.length; s += direction) if (all[s].points.length > 0) return s;
  return null;
}

const MOVES = new Set(['ArrowRight', 'ArrowLeft', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);

/**
 * Where a key takes the keyboard from `at` (null: no point yet), null when there are no points,
 * undefined for a key that does not move it. → and ← step in x order; with one series ↑ and ↓
 * step too, as on a slider, with several they go to the nearest point of the series above or below.
 */
function move(all: readonly ChartSeries[], at: Position | null, key: string): Position | null | undefined {
  if (!MOVES.has(key)) return undefined;
  const first = nextSeries(all, -1, 1);
  if (first === null) return null;
  const single = all.length === 1;
  if (at === null) {
    const backwards = key === 'ArrowLeft' || key === 'End' || key === 'PageDown' || (single && key === 'ArrowDown');
    return { series: first, index: backwards ? all[first].points.length - 1 : 0 };
  }
  const points = all[at.series].points;
  const last = points.length - 1;
  const page = Math.max(1, Math.round(points.length / 10));
  const step = (index: number) => ({ series: at.series, index: Math.min(last, Math.max(0, index)) });
  const toSeries = (direction: number) => {
    const s = nextSeries(all, at.series, direction);
    return s === null ? at : { series: s, index: nearestByX(all[s].points, points[at.index].x) };
  };
  switch (key) {
    case 'ArrowRight':
      return step(at.index + 1);
    case 'ArrowLeft':
      return step(at.index - 1);
    case 'ArrowUp':
      return single ? step(at.index + 1) : toSeries(-1);
    case 'ArrowDown':
      return single ? step(at.index - 1) : toSeries(1);
    case 'PageUp':
      return step(at.index + page);
    case 'PageDown':
      return step(at.index - page);
    case 'Home':
      return step(0);
    default:
      return step(last);
  }
}

const readout = (s: ChartSeries, index: number) => `${s.name} ${index + 1} of ${s.points.length}: ${s.points[index].text}`;

const DEFAULT_HELP = 'On the chart: ← and → step through the points in x order, Home and End go to the ends, Page Up and Page Down jump a tenth.';

/**
 * A chart as one tab stop: a named group, a visible summary of its key numbers, and a keyboard
 * "current point" announced in a polite live line and drawn as a ring by the chart
 * (`CurrentPointRing`). `read` gives the points, in x order, only when a key is pressed: a live
 * chart reads its store then, and nothing is kept up to date between key presses. Live charts
 * leave `summary` out and write their name and summary with `useChartText`.
 */
export function ChartKeys({ name, summary, read, help = DEFAULT_HELP, children }: { name: string; summary?: ReactNode; read: () => readonly ChartSeries[]; help?: string; children: ReactNode }) {
  const [current, setCurrent] = useState<CurrentPoint | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const group = useRef<HTMLDivElement>(null);
  const written = useRef<HTMLSpanElement>(null);
  const noted = useRef<HTMLSpanElement>(null);
  const id = useId();
  const text = useMemo<ChartText>(
    () => ({
      describe(label, line) {
        group.current?.setAttribute('aria-label', label);
        if (written.current) written.current.textContent = line;
      },
      note(line) {
        if (noted.current) noted.current.textContent = line;
      },
    }),
    [],
  );
  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      if (e.target !== e.currentTarget || e.altKey || e.ctrlKey || e.metaKey) return;
      const all = read();
      const at = current && locate(all, current);
      if (e.key === 'Enter' || e.key === ' ') {
        const point = at && all[at.series].points[at.index];
        if (!point) return;
        e.preventDefault();
        e.stopPropagation();
        setSaid(`${readout(all[at.series], at.index)}${point.pick ? ` — ${point.pick(e.shiftKey)}` : ''}`);
        return;
      }
      if (e.key === 'Escape' && current) {
        e.stopPropagation();
        setCurrent(null);
        setSaid(null);
        return;
      }
      const next = move(all, at, e.key);
      if (next === undefined) return;
      // the keys are the chart's while it has focus: no page scroll, and the lesson's ← → stay on the step
      e.preventDefault();
      e.stopPropagation();
      if (next === null) {
        setCurrent(null);
        setSaid('No points yet.');
        return;
      }
      setCurrent({ series: next.series, point: all[next.series].points[next.index] });
      setSaid(readout(all[next.series], next.index));
    },
    [read, current],
  );
  return (
    <div className="chart-keys">
      <div ref={group} className="chart-keys-target" role="group" tabIndex={0} aria-label={name} aria-describedby={`${id}-summary ${id}-help`} onKeyDown={onKeyDown}>
        <ChartTextContext.Provider value={text}>
          <CurrentPointContext.Provider value={current}>{children}</CurrentPointContext.Provider>
        </ChartTextContext.Provider>
      </div>
      <p className="chart-summary" id={`${id}-summary`} data-testid="chart-summary">
        <span ref={written}>{summary}</span> <span ref={noted} />
      </p>
      <p className="chart-readout" aria-live="polite" data-testid="chart-readout">
        {said ?? <span className="hint">{help}</span>}
      </p>
      <span id={`${id}-help`} hidden>
        {help}
      </span>
    </div>
  );
}

/** the current point as a ring; `position` gives its pixel centre on the chart's scales, or null when it is off the plot */
export function CurrentPointRing({ position }: { position: (point: ChartPoint, series: number) => readonly [number, number] | null }) {
  const current = useContext(CurrentPointContext);
  const at = current && position(current.point, current.series);
  if (!at) return null;
  return <circle className="chart-ring" cx={at[0]} cy={at[1]} r={7} />;
}
