import { useState } from 'react';
import { PRESETS } from '../engine/config';
import type { SearchSummary } from '../../workers/searchApi';
import { searchWorker } from '../../workers/searchClient';
import { formatCount, formatGiga, formatMega } from './format';

/** A one-shot search in a Web Worker: preset, children and seed in; the best network out. */
export function QuickSearch() {
  const [preset, setPreset] = useState(PRESETS[0].name);
  const [children, setChildren] = useState('5000');
  const [seed, setSeed] = useState('0');
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<SearchSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const childrenValue = Number(children);
  const seedValue = Number(seed);
  const invalid = !Number.isInteger(childrenValue) || childrenValue < 1 || childrenValue > 1_000_000 ? 'Children: a whole number from 1 to 1,000,000.' : !Number.isInteger(seedValue) || seedValue < 0 || seedValue > 2 ** 31 - 1 ? 'Seed: a whole number from 0 to 2147483647.' : null;

  const start = async () => {
    setRunning(true);
    setError(null);
    try {
      setResult(await searchWorker().runPreset(preset, childrenValue, seedValue));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setRunning(false);
    }
  };

  return (
    <section className="quick-search" aria-labelledby="quick-search-title">
      <h2 id="quick-search-title">Quick search</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <label>
          Preset
          <select data-testid="preset-select" value={preset} onChange={(e) => setPreset(e.target.value)}>
            {PRESETS.map((p) => (
              <option key={p.name} value={p.name} title={p.description}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Children
          <input data-testid="iterations" inputMode="numeric" value={children} onChange={(e) => setChildren(e.target.value)} />
        </label>
        <label>
          Seed
          <input data-testid="seed" inputMode="numeric" value={seed} onChange={(e) => setSeed(e.target.value)} />
        </label>
        <button data-testid="start-search" type="submit" disabled={running || invalid !== null} title={invalid ?? undefined}>
          {running ? 'Searching…' : 'Start'}
        </button>
      </form>
      {invalid && <p className="field-error">{invalid}</p>}
      {error && <p className="field-error" role="alert">{error}</p>}
      {result && (
        <dl className="quick-result">
          <dt>Evaluated</dt>
          <dd data-testid="evaluated-count">{result.evaluated}</dd>
          <dt>Best score</dt>
          <dd data-testid="best-score" data-value={result.bestScore}>
            {result.bestScore.toFixed(4)}
          </dd>
          <dt>FLOPs / params / layers</dt>
          <dd>
            {formatGiga(result.bestFlops)} · {formatMega(result.bestParams)} · {result.bestLayers}
          </dd>
          <dt>Time</dt>
          <dd>
            {formatCount(result.milliseconds)} ms ({formatCount((result.evaluated / result.milliseconds) * 1000)} children/s)
          </dd>
          <dt>Best structure (TinyNAS)</dt>
          <dd>
            <pre data-testid="best-structure">{result.bestStructure}</pre>
          </dd>
        </dl>
      )}
    </section>
  );
}
