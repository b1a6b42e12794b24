/**
 * Web Worker that runs the engine's search and streams progress (comlink). The loop advances in
 * slices of a few milliseconds and yields between them, so pause/stop/snapshot calls get through.
 */
import * as Comlink from 'comlink';
import type { RunConfig } from '../app/engine/config';
import { progressOf } from '../app/engine/evolution/progress';
import { Search } from '../app/engine/evolution/search';
import type { RunEnd, SearchWorkerApi } from './searchApi';

const SLICE_MS = 8;
let search: Search | null = null;
let paused = false;
let stopped = false;
let wake: (() => void) | null = null;

const yieldToMessages = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const api: SearchWorkerApi = {
  async run(config: RunConfig, onProgress, options = {}): Promise<RunEnd> {
    const current = options.resumeFrom ? Search.restore(options.resumeFrom) : Search.create(config);
    search = current;
    paused = false;
    stopped = false;
    const interval = options.intervalMs ?? 100;
    const sent = { history: 0, populationVersion: -1 };
    let activeMs = 0;
    let lastReport = -Infinity;
    const report = () => {
      onProgress(progressOf(current, activeMs / 1000, sent));
      sent.history = current.history.length;
      sent.populationVersion = current.population.version;
      lastReport = performance.now();
    };
    let slice = 256;
    while (!current.done && !stopped) {
      if (paused) {
        report();
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      const start = performance.now();
      current.advance(slice);
      const spent = performance.now() - start;
      activeMs += spent;
      // keep each slice near SLICE_MS whatever the speed of this machine
      slice = Math.max(16, Math.min(100_000, Math.round((slice * SLICE_MS) / Math.max(spent, 0.1))));
      if (performance.now() - lastReport >= interval) report();
      await yieldToMessages();
    }
    report();
    return stopped ? 'stopped' : 'done';
  },
  pause() {
    paused = true;
  },
  resume() {
    paused = false;
    wake?.();
    wake = null;
  },
  stop() {
    stopped = true;
    paused = false;
    wake?.();
    wake = null;
  },
  snapshot() {
    return search?.snapshot() ?? null;
  },
};

Comlink.expose(api);
