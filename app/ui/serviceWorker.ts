/**
 * Registers the service worker (workers/sw.ts) in the built studio and reports what it means
 * for the page: a first version taking control of a page that is not cross-origin isolated (a
 * static host sending no COOP/COEP) reloads it — at once if nobody has used the page yet, else
 * when the person chooses; a new version of the site waits until the person chooses to reload.
 */
import { Workbox } from 'workbox-window';
import { usePwaStore } from './stores/pwaStore';

/** whether the person has done anything on the page (a reload would then lose it) */
let used = false;
for (const type of ['pointerdown', 'keydown'] as const) addEventListener(type, () => (used = true), { once: true, capture: true });

export function registerServiceWorker(): void {
  if (import.meta.env.DEV || !('serviceWorker' in navigator)) return;
  const base = import.meta.env.BASE_URL;
  const wb = new Workbox(`${base}sw.js`, { scope: base });
  const { offerReload } = usePwaStore.getState();
  wb.addEventListener('controlling', (event) => {
    if (event.isUpdate) return location.reload();
    if (crossOriginIsolated) return;
    if (used) offerReload('isolation', () => location.reload());
    else location.reload();
  });
  wb.addEventListener('waiting', () => offerReload('update', () => wb.messageSkipWaiting()));
  wb.register().catch(() => {
    // the browser refused the worker (a policy, some private windows, a test harness): the page
    // works as it did without one, online and isolated only where the host sends the headers
  });
}
