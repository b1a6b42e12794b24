/**
 * Where the page's main thread spends its time, read from a Chromium trace (the JSON that
 * playwright-core's `browser.stopTracing()` returns, recorded with the 'devtools.timeline',
 * 'disabled-by-default-devtools.timeline' and 'v8' categories). Pure: events in, numbers out.
 */

/** the fields of a trace event this reads */
export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  /** µs */
  ts: number;
  /** µs, on complete ('X') events */
  dur?: number;
  /** µs of the thread's CPU time, on complete events of categories that time it */
  tdur?: number;
  args?: { name?: string; data?: { message?: string } };
}

export type Activity = 'script' | 'styleLayout' | 'paintComposite' | 'gc' | 'rest';

export interface MainThreadTime {
  /** from the start mark to the end mark */
  spanMs: number;
  /** top-level tasks ('RunTask'), clipped to the span */
  taskMs: number;
  /**
   * the CPU time the thread had in those tasks (whole tasks that start in the span): far below
   * `taskMs` when the thread waits for a core
   */
  taskCpuMs: number;
  /** top-level tasks over 50 ms that overlap the span */
  longTasks: number;
  longestTaskMs: number;
  /** task time by activity; the parts sum to `taskMs` */
  byActivity: Record<Activity, number>;
}

const ACTIVITY_OF: Record<string, Activity> = {
  FunctionCall: 'script',
  EvaluateScript: 'script',
  'v8.callFunction': 'script',
  RunMicrotasks: 'script',
  UpdateLayoutTree: 'styleLayout',
  Layout: 'styleLayout',
  PrePaint: 'paintComposite',
  Paint: 'paintComposite',
  Layerize: 'paintComposite',
  Commit: 'paintComposite',
  UpdateLayer: 'paintComposite',
  MinorGC: 'gc',
  MajorGC: 'gc',
};

const activityOf = (name: string): Activity | undefined => ACTIVITY_OF[name] ?? (name.startsWith('V8.GC') ? 'gc' : undefined);

/** the renderer's main thread: of the threads named CrRendererMain, the one with the most events */
function rendererMain(events: TraceEvent[]): { pid: number; tid: number } {
  const counts = new Map<string, number>();
  for (const e of events) counts.set(`${e.pid}:${e.tid}`, (counts.get(`${e.pid}:${e.tid}`) ?? 0) + 1);
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (mains.length === 0) throw new Error('the trace has no CrRendererMain thread');
  const count = (e: TraceEvent) => counts.get(`${e.pid}:${e.tid}`) ?? 0;
  const main = mains.reduce((a, b) => (count(b) > count(a) ? b : a));
  return { pid: main.pid, tid: main.tid };
}

/**
 * The main thread between two `console.timeStamp(mark)` calls of the page. Time inside a task is
 * charged to the innermost event with an activity (so GC or a forced layout during a function
 * call counts as GC or layout, not script, and nested events of one activity count once); time
 * in a task outside any such event is 'rest'.
 */
export function mainThreadTime(events: TraceEvent[], startMark: string, endMark: string): MainThreadTime {
  const { pid, tid } = rendererMain(events);
  const onMain = events.filter((e) => e.pid === pid && e.tid === tid);
  const markAt = (message: string) => {
    const mark = onMain.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === message);
    if (!mark) throw new Error(`the trace has no console.timeStamp('${message}') on the main thread`);
    return mark.ts;
  };
  const from = markAt(startMark);
  const to = markAt(endMark);
  const within = (start: number, end: number) => Math.max(0, Math.min(end, to) - Math.max(start, from)) / 1000;

  const byActivity: Record<Activity, number> = { script: 0, styleLayout: 0, paintComposite: 0, gc: 0, rest: 0 };
  let taskMs = 0;
  let taskCpuMs = 0;
  let longTasks = 0;
  let longestTaskMs = 0;
  // complete events nest by time: walk them in start order (the longer first on a tie) with a stack
  // of the open ones; an event's time is charged to its activity and taken from its parent's
  const complete = onMain.filter((e) => e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const open: { end: number; activity: Activity; inTask: boolean }[] = [];
  for (const e of complete) {
    while (open.length > 0 && open[open.length - 1].end <= e.ts) open.pop();
    const parent = open.at(-1);
    // an event that outlasts its parent (clock rounding) is cut at the parent's end
    const end = Math.min(e.ts + e.dur!, parent?.end ?? Infinity);
    const topTask = e.name === 'RunTask' && !parent?.inTask;
    const inTask = topTask || !!parent?.inTask;
    const activity = activityOf(e.name) ?? parent?.activity ?? 'rest';
    open.push({ end, activity, inTask });
    if (!inTask) continue;
    const ms = within(e.ts, end);
    byActivity[activity] += ms;
    if (parent?.inTask) byActivity[parent.activity] -= ms;
    if (topTask && ms > 0) {
      taskMs += ms;
      if (e.ts >= from) taskCpuMs += (e.tdur ?? 0) / 1000;
      const duration = e.dur! / 1000;
      longestTaskMs = Math.max(longestTaskMs, duration);
      if (duration > 50) longTasks++;
    }
  }
  return { spanMs: (to - from) / 1000, taskMs, taskCpuMs, longTasks, longestTaskMs, byActivity };
}
