/**
 * The views and their URLs: the studio (`#config=…`, see configForm.ts), the editor
 * (`#/editor/<network>?r=<resolution>`) and the lesson (`#/learn/<step>`). Hashes are parsed,
 * never evaluated.
 */
import { useSyncExternalStore } from 'react';

export type Route = { view: 'studio' } | { view: 'editor'; network: string | null; resolution: number } | { view: 'learn'; step: number };

export const DEFAULT_EDITOR_RESOLUTION = 480;

export function parseRoute(hash: string): Route {
  const editor = /^#\/editor(?:\/([A-Za-z0-9_]+))?(?:\?r=(\d{2,4}))?$/.exec(hash);
  if (editor) return { view: 'editor', network: editor[1] ?? null, resolution: editor[2] ? Number(editor[2]) : DEFAULT_EDITOR_RESOLUTION };
  const learn = /^#\/learn(?:\/(\d))?$/.exec(hash);
  if (learn) return { view: 'learn', step: learn[1] ? Number(learn[1]) : 1 };
  return { view: 'studio' };
}

export function navigate(hash: string): void {
  location.hash = hash;
}

const subscribe = (onChange: () => void) => {
  addEventListener('hashchange', onChange);
  return () => removeEventListener('hashchange', onChange);
};

/** the current location hash, re-rendering on change */
export function useHash(): string {
  return useSyncExternalStore(subscribe, () => location.hash);
}
