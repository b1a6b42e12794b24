/**
 * A lesson widget's computation in the lesson worker: its progress, result and error, a Cancel,
 * and cancellation when the widget goes away (its result would have nowhere to go).
 */
import * as Comlink from 'comlink';
import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import type { LessonProgress, LessonWorkerApi, OnLessonProgress } from '../../../../workers/lessonApi';
import { lessonWorker } from '../../../../workers/lessonClient';

type LessonCall<T> = (worker: Comlink.Remote<LessonWorkerApi>, onProgress: OnLessonProgress) => Promise<T | null>;

interface TaskState<T> {
  /** the last completed result (a cancelled run keeps the previous one) */
  result: T | null;
  running: boolean;
  /** the latest progress report of the running computation, if one came yet */
  progress: LessonProgress | null;
  error: string | null;
}

export function useLessonTask<T>() {
  const [state, setState] = useState<TaskState<T>>({ result: null, running: false, progress: null, error: null });
  /** the id of the computation whose answers count, and whether it is still running */
  const latest = useRef({ id: 0, running: false });

  const run = useCallback((call: LessonCall<T>) => {
    const id = latest.current.id + 1;
    latest.current = { id, running: true };
    setState((s) => ({ ...s, running: true, progress: null, error: null }));
    const onProgress = (progress: LessonProgress) => {
      if (latest.current.id === id) setState((s) => ({ ...s, progress }));
    };
    call(lessonWorker(), Comlink.proxy(onProgress)).then(
      (result) => {
        if (latest.current.id !== id) return;
        latest.current.running = false;
        // a result can be a large chart: rendered as a transition, React renders it in slices the page can interleave
        startTransition(() => setState((s) => ({ result: result ?? s.result, running: false, progress: null, error: null })));
      },
      (e: unknown) => {
        if (latest.current.id !== id) return;
        latest.current.running = false;
        setState((s) => ({ ...s, running: false, progress: null, error: e instanceof Error ? e.message : String(e) }));
      },
    );
  }, []);

  const cancel = useCallback(() => {
    if (!latest.current.running) return;
    latest.current = { id: latest.current.id + 1, running: false };
    void lessonWorker().cancel();
    setState((s) => ({ ...s, running: false, progress: null }));
  }, []);

  useEffect(() => cancel, [cancel]);

  return { ...state, run, cancel };
}

/** progress of a running computation, with its Cancel button */
export function TaskProgress({ progress, onCancel }: { progress: LessonProgress | null; onCancel: () => void }) {
  return (
    <div className="lesson-progress" role="status">
      {progress ? <progress value={progress.done} max={progress.total} /> : <progress />}
      <span>{progress ? `${progress.phase}: ${Math.round((100 * progress.done) / Math.max(progress.total, 1))}%` : 'starting…'}</span>
      <button onClick={onCancel}>Cancel</button>
    </div>
  );
}
