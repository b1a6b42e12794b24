/** The studio's current set-up as a run config, or why it is not one: the lesson's searches use it. */
import { useMemo } from 'react';
import type { RunConfig } from '../../../engine/config';
import { findReferenceNetwork } from '../../../engine/referenceNetworks';
import { formatWithUnit } from '../../../engine/units';
import { buildConfig } from '../../configForm';
import { useConfigStore } from '../../stores/configStore';
import { useNamedProfile } from '../../stores/latencyStore';

export function useStudioConfig(): { config: RunConfig | null; error: string | null } {
  const draft = useConfigStore((s) => s.draft);
  const named = useNamedProfile();
  return useMemo(() => {
    const { config, summary } = buildConfig(draft, named);
    return { config, error: summary && `The studio's set-up is not usable: ${summary} Fix it in the Studio.` };
  }, [draft, named]);
}

/** the set-up in a phrase: "R50 search seed, space k1kxk1, 480×480 px, FLOPs ≤ 18.8 G, layers ≤ 91" */
export function describeSetUp(config: RunConfig, { withFlops = true } = {}): string {
  const budgets = [
    withFlops && config.budgets.flops !== null && `FLOPs ≤ ${formatWithUnit(config.budgets.flops, 3)}`,
    config.budgets.params !== null && `params ≤ ${formatWithUnit(config.budgets.params, 4)}`,
    config.budgets.layers !== null && `layers ≤ ${config.budgets.layers}`,
  ].filter(Boolean);
  const seed = config.model.seedName === null ? 'a pasted seed' : (findReferenceNetwork(config.model.seedName)?.label ?? config.model.seedName);
  return `${seed}, space ${config.space.type}, ${config.imageSize}×${config.imageSize} px${budgets.length ? `, ${budgets.join(', ')}` : ', no budgets'}`;
}
