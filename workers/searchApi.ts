/**
 * The search worker's API as the page sees it through comlink. Only plain data crosses: configs,
 * progress reports, snapshots.
 */
import type { RunConfig } from '../app/engine/config';
import type { RunProgress } from '../app/engine/evolution/progress';
import type { SearchSnapshot } from '../app/engine/evolution/search';

export type RunEnd = 'done' | 'stopped';

export interface SearchWorkerApi {
  /**
   * Run a search (or resume one from a snapshot) until it is done or stopped, calling
   * `onProgress` about every `intervalMs` (and once at the end).
   */
  run(config: RunConfig, onProgress: (p: RunProgress) => void, options?: { resumeFrom?: SearchSnapshot; intervalMs?: number }): Promise<RunEnd>;
  pause(): void;
  resume(): void;
  stop(): void;
  /** the running search's full state (for autosave), or null before a run */
  snapshot(): SearchSnapshot | null;
}
