/** The studio's results column: run controls, the charts, the leaderboard, the candidate, the measured entropy and the references. */
import { memo } from 'react';
import type { RunConfig } from '../engine/config';
import { CandidateView } from './components/CandidateView';
import { EntropyPanel } from './components/EntropyPanel';
import { HistoryChart } from './components/HistoryChart';
import { Leaderboard } from './components/Leaderboard';
import { Newcomer } from './components/Newcomer';
import { PopulationChart } from './components/PopulationChart';
import { RunControls } from './components/RunControls';
import { ReferenceTable } from './ReferenceTable';

/**
 * The studio's results column. Memoised: a change of run status re-renders the set-up (disabled
 * while a search runs) and the panels that follow the run store themselves, not all of these.
 */
export const StudioResults = memo(function StudioResults({ config, invalid }: { config: RunConfig | null; invalid: string | null }) {
  return (
    <div className="results" id="content" tabIndex={-1}>
      <Newcomer />
      <RunControls config={config} invalid={invalid} />
      <PopulationChart draftConfig={config} />
      <HistoryChart />
      <Leaderboard />
      <CandidateView />
      <EntropyPanel />
      <details className="panel references">
        <summary>Reference networks</summary>
        <ReferenceTable />
      </details>
    </div>
  );
});
