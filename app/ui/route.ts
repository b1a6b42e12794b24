/**
 * The views and their URLs: the studio (`#config=…`, see configForm.ts), the editor
 * (`#/editor/<network>?r=<resolution>`), the lesson (`#/learn/<step>`) and the validation of the
 * proxies on trained networks (`#/validate`). Hashes are parsed, never evaluated.
 */
import { useSyncExternalStore } from 'react';

export type Route = { view: 'studio' } | { view: 'editor'; network: string | null; resolution: number } | { view: 'learn'; step: number; presenter: boolean } | { view: 'validate' };

const DEFAULT_EDITOR_RESOLUTION = 480;
export const LESSON_STEPS = 8;
export const VALIDATE_HASH = '#/validate';

/** the editor's URL for a reference network (or the network in the editor's store), at a resolution */
export function editorHash(network: string | null, resolution: number): string {
  return `#/editor${network ? `/${network}` : ''}${resolution !== DEFAULT_EDITOR_RESOLUTION ? `?r=${resolution}` : ''}`;
}

export function learnHash(step: number, presenter: boolean): string {
  return `#/learn/${step}${presenter ? '?presenter' : ''}`;
}

export function parseRoute(hash: string): Route {
  const editor = /^#\/editor(?:\/([A-Za-z0-9_]+))?(?:\?r=(\d{2,4}))?$/.exec(hash);
  if (editor) return { view: 'editor', network: editor[1] ?? null, resolution: editor[2] ? Number(editor[2]) : DEFAULT_EDITOR_RESOLUTION };
  const learn = /^#\/learn(?:\/(\d+))?(\?presenter)?$/.exec(hash);
  if (learn) return { view: 'learn', step: Math.min(Math.max(Number(learn[1] ?? 1), 1), LESSON_STEPS), presenter: !!learn[2] };
  if (hash === VALIDATE_HASH) return { view: 'validate' };
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
