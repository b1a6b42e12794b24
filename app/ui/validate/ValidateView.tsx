import { useDeferredValue, useEffect } from 'react';
import { MACRO_STAGE_WEIGHTS } from '../../engine/benchmark/nasBenchMacro';
import { formatCount } from '../format';
import { shownProxies, useValidationStore, type BenchmarkView } from '../stores/validationStore';
import { BudgetPanel } from './BudgetPanel';
import { LoadBenchmark } from './LoadBenchmark';
import { NetworkPanel } from './NetworkPanel';
import { ProxyTable } from './ProxyTable';
import { SearchPanel } from './SearchPanel';
import { TaskStatus } from './TaskStatus';
import { ValidationScatter } from './ValidationScatter';
import { verdict } from './verdict';
import './validate.css';

/** the stage weights the scores use, and why those */
function stageWeights(benchmark: BenchmarkView): string {
  const weights = `[${benchmark.ratio.join(', ')}]`;
  if (benchmark.kind === 'nas-bench-macro' && benchmark.ratio.join() === MACRO_STAGE_WEIGHTS.join()) {
    return `Stage weights ${weights}: TinyNAS's weights for classification, which count only the last stage — the features the classifier reads.`;
  }
  return `Stage weights ${weights}, as the file gives them.`;
}

/** the benchmark's name, size, weights, source and license, and the answer in one sentence */
function Header({ benchmark }: { benchmark: BenchmarkView }) {
  const sentence = useValidationStore((s) => verdict(shownProxies(s.proxies)));
  return (
    <section className="panel validate-head" aria-labelledby="validate-title">
      <h2 id="validate-title">Does the score predict accuracy?</h2>
      <p>
        <strong data-testid="benchmark-name">{benchmark.name}</strong>: <span data-testid="benchmark-count">{formatCount(benchmark.ids.length)}</span> trained networks at {benchmark.imageSize}×{benchmark.imageSize} px. Each zero-shot proxy ranks them without
        training; the table says how well that ranking follows their trained accuracy. {stageWeights(benchmark)}
      </p>
      {benchmark.source && (
        <p className="citation" data-testid="benchmark-source">
          Data: {benchmark.source.citation} {benchmark.source.license}{' '}
          <a href={benchmark.source.url} rel="noreferrer" target="_blank">
            {benchmark.source.url.replace(/^https:\/\//, '')}
          </a>
        </p>
      )}
      {sentence && (
        <p className="verdict" data-testid="verdict">
          {sentence}
        </p>
      )}
    </section>
  );
}

/**
 * The validation view (`#/validate`): how well each zero-shot proxy ranks a benchmark of really
 * trained networks — NAS-Bench-Macro, shipped with the studio, or a user's file. Everything is
 * computed in the validation worker; NAS-Bench-Macro loads when the view first opens.
 */
export function ValidateView() {
  const benchmark = useValidationStore((s) => s.benchmark);
  // the panels below the table render a moment later, in a render React can interrupt: a load's
  // answer then costs the page the header and the table in its own task, not the whole view
  const later = useDeferredValue(benchmark);
  const loading = useValidationStore((s) => s.loading);
  const cancelLoad = useValidationStore((s) => s.cancelLoad);
  useEffect(() => {
    const { benchmark, loading, loadMacro } = useValidationStore.getState();
    if (!benchmark && !loading) void loadMacro();
  }, []);
  return (
    <div className="validate" data-testid="validate">
      {loading && <TaskStatus label={`Loading ${loading.what}`} progress={loading.progress} onCancel={cancelLoad} testId="load-progress" />}
      {benchmark && (
        <>
          <Header benchmark={benchmark} />
          <ProxyTable benchmark={benchmark} />
        </>
      )}
      {benchmark && later === benchmark && (
        <>
          <div className="validate-pair">
            <ValidationScatter benchmark={benchmark} />
            <NetworkPanel benchmark={benchmark} />
          </div>
          <BudgetPanel benchmark={benchmark} />
          <SearchPanel benchmark={benchmark} />
        </>
      )}
      <LoadBenchmark benchmark={benchmark} />
    </div>
  );
}
