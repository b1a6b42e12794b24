/// <reference lib="webworker" />
/**
 * The studio's service worker (vite-plugin-pwa, injectManifest): the app shell, the ONNX Runtime
 * wasm build the page runs (the plain one; the WebGPU one is kept when first fetched) and
 * NAS-Bench-Macro are precached, so the studio, the editor, the lesson and a search work offline.
 * Every same-origin response it serves carries COOP/COEP, so the page is cross-origin isolated —
 * and wasm runs multi-threaded — on any static host, including those that cannot send headers.
 */
import { cleanupOutdatedCaches, matchPrecache, precache } from 'workbox-precaching';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | { url: string; revision: string | null })[] };

precache(self.__WB_MANIFEST);
cleanupOutdatedCaches();

/** what the studio fetched that the precache does not hold (the WebGPU build once used) */
const RUNTIME_CACHE = 'maedet-studio-runtime';

/** cross-origin isolation for the page and its workers; same-origin resources only come through here */
const ISOLATION: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function isolated(response: Response): Response {
  // a redirect or an opaque response cannot be rebuilt; the browser takes it as it is
  if (response.status === 0 || response.type === 'opaqueredirect') return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

async function respond(request: Request): Promise<Response> {
  // every view is index.html (the views live in the hash)
  const key = request.mode === 'navigate' ? new URL('index.html', self.registration.scope).href : request.url;
  const precached = await matchPrecache(key);
  if (precached) return isolated(precached);
  const runtime = await caches.open(RUNTIME_CACHE);
  const kept = await runtime.match(request);
  if (kept) return isolated(kept);
  const response = await fetch(request);
  if (response.ok) await runtime.put(request, response.clone());
  return isolated(response);
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(respond(request));
});

// the page asks a waiting version to take over when the person chooses to reload
self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

// the first version controls the page at once: it is then reloaded isolated (serviceWorker.ts)
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
