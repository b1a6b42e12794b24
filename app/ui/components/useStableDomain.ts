import { useMemo, useRef } from 'react';
import { axisTicks, stableDomain } from './charts';

/** `stableDomain` across renders: the same array until the values leave it (so memoised charts skip). */
export function useStableDomain(values: readonly number[]): [number, number] {
  const domain = useRef<[number, number] | null>(null);
  domain.current = stableDomain(domain.current, values);
  return domain.current;
}

/** the ticks of a domain, recomputed only when the domain changes */
export function useAxisTicks(domain: [number, number]): number[] {
  return useMemo(() => axisTicks(domain), [domain]);
}
