/**
 * Knowing when a worker dies. A Web Worker that is terminated, crashes or runs out of memory sends
 * nothing, and a comlink call to it waits forever. So each watched worker holds a Web Lock named
 * after itself for as long as it lives; once it says it holds it, its spawner asks for the same
 * lock, and is granted it exactly when the worker is gone.
 */

/** a watched worker failed to start, threw where nothing caught it, or ended */
export class WorkerGone extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerGone';
  }
}

/** the message a watched worker sends once it holds its lock */
const ALIVE = 'maedet-worker-alive';
/** a worker that has not said it is alive by then never started (or died first) */
const START_TIMEOUT_MS = 30_000;

/**
 * In a worker, once it has exposed its API (messages sent before would be lost): hold this worker's
 * lock for its lifetime, then say so.
 */
export async function holdLifeLock(): Promise<void> {
  const scope = self as unknown as { name?: string; postMessage(message: unknown): void };
  if (!scope.name || !navigator.locks) return;
  await new Promise<void>((held) => {
    void navigator.locks.request(scope.name!, () => {
      held();
      return new Promise<never>(() => {});
    });
  });
  scope.postMessage({ [ALIVE]: true });
}

/**
 * Start a watched worker (`start` gets the name to give it: `new Worker(new URL(…), { type:
 * 'module', name })`, written out at the call site for Vite); `died` rejects with a sentence when
 * it fails to start, throws, or ends.
 */
export function watchedWorker(what: string, start: (name: string) => Worker): { worker: Worker; died: Promise<never> } {
  const name = `${what}-${crypto.randomUUID()}`;
  const worker = start(name);
  const died = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (e) => reject(new WorkerGone(`the ${what} worker failed: ${e.message || 'it could not start'}`)));
    const notStarted = setTimeout(() => reject(new WorkerGone(`the ${what} worker did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    const onAlive = (e: MessageEvent) => {
      if (!(typeof e.data === 'object' && e.data !== null && ALIVE in e.data)) return;
      clearTimeout(notStarted);
      worker.removeEventListener('message', onAlive);
      void navigator.locks.request(name, () => reject(new WorkerGone(`the ${what} worker stopped (it was closed, crashed or ran out of memory)`)));
    };
    worker.addEventListener('message', onAlive);
  });
  died.catch(() => {});
  return { worker, died };
}
