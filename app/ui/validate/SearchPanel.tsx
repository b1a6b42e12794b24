import { useId } from 'react';
import { DEFAULT_SEARCH_SEEDS } from '../../engine/benchmark/benchmarkSearch';
import { proxyLabel } from '../../engine/benchmark/validation';
import type { SearchObjective } from '../../../workers/validationApi';
import { useValidationStore, type BenchmarkView } from '../stores/validationStore';
import { NetworkLink } from './NetworkLink';
import { accuracyText, countText } from './units';

const OBJECTIVES: readonly SearchObjective[] = ['madnas', 'deepmad'];

/**
 * The studio's evolutionary search run in NAS-Bench-Macro's space within the budget chosen
 * above, once per seed: what it found, what that network reached when trained, and its regret
 * against the best network within the budget. Other benchmarks have no space to search.
 */
export function SearchPanel({ benchmark }: { benchmark: BenchmarkView }) {
  const objective = useValidationStore((s) => s.objective);
  const setObjective = useValidationStore((s) => s.setObjective);
  const search = useValidationStore((s) => s.search);
  const budget = useValidationStore((s) => benchmark.ladder[s.budgetIndex]);
  const runSearch = useValidationStore((s) => s.runSearch);
  const id = useId();
  const outcome = search.outcome;
  return (
    <section className="panel search-panel" aria-labelledby={`${id}-title`} data-testid="search-panel">
      <h2 id={`${id}-title`}>Search the space</h2>
      {!benchmark.searchable ? (
        <p className="hint">The search runs on NAS-Bench-Macro only: its space is the benchmark's 6,561 networks, so whatever it finds has a trained accuracy.</p>
      ) : (
        <>
          <p>
            The studio's evolutionary search in NAS-Bench-Macro's space, maximising a score within the FLOPs budget chosen above; each run's find is looked up in the benchmark.
          </p>
          <div className="search-controls">
            <label>
              objective{' '}
              <select value={objective} onChange={(e) => setObjective(e.target.value as SearchObjective)} data-testid="search-objective">
                {OBJECTIVES.map((o) => (
                  <option key={o} value={o}>
                    {proxyLabel(o)}
                  </option>
                ))}
              </select>
            </label>
            <span>budget ≤ {countText(budget)} FLOPs</span>
            <button onClick={() => void runSearch()} disabled={search.running} data-testid="search-run">
              Search ({DEFAULT_SEARCH_SEEDS.length} seeds)
            </button>
            {search.running && (
              <span role="status" className="hint">
                searching…
              </span>
            )}
          </div>
          {search.error && (
            <p className="field-error" role="alert">
              {search.error}
            </p>
          )}
          {outcome && (
            <>
              <div className="table-scroll">
                <table className="search-table" data-testid="search-table">
                  <caption>
                    {proxyLabel(outcome.objective)} within {countText(outcome.flopsBudget)} FLOPs: population {outcome.population}, {outcome.children} children per run
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">seed</th>
                      <th scope="col">found</th>
                      <th scope="col">its accuracy</th>
                      <th scope="col">its FLOPs</th>
                      <th scope="col">best within the budget</th>
                      <th scope="col">regret</th>
                    </tr>
                  </thead>
                  <tbody>
                    {outcome.runs.map((r) => (
                      <tr key={r.seed}>
                        <td>{r.seed}</td>
                        <td>
                          <NetworkLink id={r.found.id} benchmark={benchmark} />
                        </td>
                        <td>{accuracyText(benchmark, r.found.accuracy)}</td>
                        <td>{countText(r.found.flops)}</td>
                        <td>
                          <NetworkLink id={r.best.id} benchmark={benchmark} /> ({accuracyText(benchmark, r.best.accuracy)})
                        </td>
                        <td>{r.regret.toFixed(2)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <p data-testid="median-regret">
                Median regret over the {outcome.runs.length} runs: <strong>{outcome.medianRegret.toFixed(2)}</strong>
                {benchmark.kind === 'nas-bench-macro' ? ' points of accuracy' : ''}.
              </p>
            </>
          )}
        </>
      )}
    </section>
  );
}
