/**
 * Let a worker's queued messages (Pause, Stop, a page's call) run, then go on. A zero-delay
 * setTimeout would do it, but timers nested five deep are clamped to at least 4 ms, and a loop of
 * 8 ms slices is always that deep: a third of the worker's time would pass idle. A message to a
 * channel of our own comes back as a task of its own, after the messages already queued, with
 * no clamp. Node (the tests' host) has setImmediate for that, which also leaves its timers a turn.
 */
const waiting: (() => void)[] = [];
let channel: MessageChannel | null = null;

function viaChannel(resolve: () => void): void {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
  }
  waiting.push(resolve);
  channel.port2.postMessage(null);
}

const immediate = (globalThis as { setImmediate?: (run: () => void) => unknown }).setImmediate;

export function yieldToMessages(): Promise<void> {
  return new Promise<void>((resolve) => (immediate ? immediate(resolve) : viaChannel(resolve)));
}
