/**
 * The search worker's API as the page sees it through comlink. Only plain data crosses: configs,
 * progress reports (the population as columns in one transferred buffer), run files. The worker
 * keeps each run whole; the page gets what it shows.
 */
import type { RunConfig } from '../app/engine/config';
import type { RunProgress } from '../app/engine/evolution/progress';
import type { RunFile } from '../app/engine/runFile';
import type { RunEnd } from '../app/engine/evolution/driver';

/** a finished run as the page shows it: one report carrying the whole population and the (thinned) history */
export interface FinishedRunView {
  config: RunConfig;
  view: RunProgress;
}

/**
 * what the autosave holds: a live run to resume, a finished one to show, or a record this version
 * cannot read (kept until the user has downloaded or discarded it)
 */
export type SavedRunInfo = { status: 'running' | 'paused'; config: RunConfig; evaluated: number } | (FinishedRunView & { status: 'done' | 'stopped' }) | { status: 'unreadable'; reason: string };

/**
 * Takes a report; may return a promise that settles once the page has drawn it (the search
 * waits for that, a little while at most, before going on).
 */
export type OnProgress = (p: RunProgress) => Promise<void> | void;

export interface RunOptions {
  /** at most one progress report per interval (default 250 ms) */
  intervalMs?: number;
}

export interface SearchWorkerApi {
  /**
   * Optimise the search's code before the first search (a short throwaway search of the default
   * set-up); any other call stops it at once. The worker's entry runs it when the worker starts.
   */
  warmUp(): Promise<void>;
  /**
   * Run a search until it is done or stopped, calling `onProgress` about every `intervalMs` (and
   * once at the end), never while the page has not yet returned from the previous call: reports
   * do not queue up behind a busy page, the next one simply carries more. `config.search.workers` > 1 runs islands in that many workers (this one
   * included). The run autosaves every few seconds, on pause and at its end.
   */
  run(config: RunConfig, onProgress: OnProgress, options?: RunOptions): Promise<RunEnd>;
  /** the autosaved run, or null */
  saved(): Promise<SavedRunInfo | null>;
  /**
   * continue the live run `saved()` found, exactly where it was saved (paused if it was); rejects
   * with the reason when it cannot be resumed, and keeps the record
   */
  resumeSaved(onProgress: OnProgress, options?: RunOptions): Promise<RunEnd>;
  /** the autosave as stored, as JSON text for the user to keep (typed arrays as lists); null when there is none */
  savedRecord(): Promise<string | null>;
  /** read a run file and show it (it becomes the autosave); rejects with the reader's reason */
  load(text: string): Promise<FinishedRunView>;
  /** the finished run on show (ended, loaded or restored), as Save run writes it; null while one runs */
  runFile(): Promise<RunFile | null>;
  /** drop the autosave (Reset) */
  forget(): Promise<void>;
  /** whether this page's runs write the autosave (another tab may keep it); on until told otherwise */
  setAutosave(on: boolean): void;
  pause(): void;
  resume(): void;
  stop(): void;
}
