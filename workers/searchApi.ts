/**
 * The search worker's API as the page sees it through comlink. Only plain data crosses: configs,
 * progress reports, run files.
 */
import type { RunConfig } from '../app/engine/config';
import type { RunProgress } from '../app/engine/evolution/progress';
import type { RunFile } from '../app/engine/runFile';

export type RunEnd = 'done' | 'stopped';

/** what the autosave holds: a live run to resume, or a finished one to show */
export type SavedRunInfo = { status: 'running' | 'paused'; config: RunConfig; evaluated: number } | { status: 'done' | 'stopped'; run: RunFile };

export interface RunOptions {
  /** at most one progress report per interval (default 100 ms) */
  intervalMs?: number;
}

export interface SearchWorkerApi {
  /**
   * Run a search until it is done or stopped, calling `onProgress` about every `intervalMs` (and
   * once at the end). `config.search.workers` > 1 runs islands in that many workers (this one
   * included). The run autosaves every few seconds, on pause and at its end.
   */
  run(config: RunConfig, onProgress: (p: RunProgress) => void, options?: RunOptions): Promise<RunEnd>;
  /** the autosaved run, or null; rejects with the reason when the record cannot be read */
  saved(): Promise<SavedRunInfo | null>;
  /** continue the live run `saved()` found, exactly where it was saved (paused if it was) */
  resumeSaved(onProgress: (p: RunProgress) => void, options?: RunOptions): Promise<RunEnd>;
  /** make a finished run (e.g. a loaded file) the autosave */
  keep(run: RunFile): Promise<void>;
  /** drop the autosave (Reset) */
  forget(): Promise<void>;
  pause(): void;
  resume(): void;
  stop(): void;
}
