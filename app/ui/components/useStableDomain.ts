import { startTransition, useEffect, useMemo, useRef, useState } from 'react';
import { useRunStore, type RunState } from '../stores/runStore';
import { stableDomain } from './charts';

/**
 * `stableDomain` of values read from the run store, followed outside React: the chart re-renders
 * when its domain moves (now and then during a search), not on every report. `read` and `watch`
 * are memoised by the caller; a new `read` (another axis, other landmarks) starts afresh.
 */
export function useRunDomain(watch: (s: RunState) => unknown, read: (s: RunState) => readonly number[]): [number, number] {
  const fresh = useMemo(() => stableDomain(null, read(useRunStore.getState())), [read]);
  const [followed, setFollowed] = useState<{ read: typeof read; domain: [number, number] } | null>(null);
  const domain = followed?.read === read ? followed.domain : fresh;
  const latest = useRef(domain);
  // the domain on screen, for the subscriber below (written once the render is committed)
  useEffect(() => void (latest.current = domain), [domain]);
  useEffect(
    () =>
      useRunStore.subscribe((s, before) => {
        if (watch(s) === watch(before)) return;
        const next = stableDomain(latest.current, read(s));
        // a transition: React redraws the axes in slices it can interrupt, not inside the report's task
        if (next !== latest.current) startTransition(() => setFollowed({ read, domain: (latest.current = next) }));
      }),
    [watch, read],
  );
  return domain;
}
