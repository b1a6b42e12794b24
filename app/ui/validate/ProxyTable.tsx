import { DEFAULT_BOOTSTRAP, PROXY_NAMES, proxyLabel, proxyNote, type Interval, type ProxyName } from '../../engine/benchmark/validation';
import { formatCount } from '../format';
import { intervalsOf, useValidationStore, type BenchmarkView, type ProxyEntry } from '../stores/validationStore';
import { NetworkLink } from './NetworkLink';
import { accuracyText } from './units';
import { TaskStatus } from './TaskStatus';
import { fixed3 } from './verdict';

/** an interval's cell: its bounds, or where the bootstrap is */
function IntervalCell({ interval, state, testId }: { interval: Interval | null | undefined; state: string; testId: string }) {
  if (interval === undefined) return <td className="hint">{state}</td>;
  return <td data-testid={testId}>{interval === null ? 'n/a' : `[${fixed3(interval.low)}, ${fixed3(interval.high)}]`}</td>;
}

function ProxyRow({ entry, benchmark, state }: { entry: ProxyEntry; benchmark: BenchmarkView; state: string }) {
  const { kendall, spearman, top } = entry.stats;
  const intervals = intervalsOf(entry);
  return (
    <tr data-testid="proxy-row" data-proxy={entry.name}>
      <th scope="row">
        {proxyLabel(entry.name)}
        <span className="proxy-note">{proxyNote(entry.name)}</span>
      </th>
      <td data-testid="kendall">{fixed3(kendall)}</td>
      <IntervalCell interval={intervals ? intervals.kendallInterval : undefined} state={state} testId="kendall-interval" />
      <td data-testid="spearman">{fixed3(spearman)}</td>
      <IntervalCell interval={intervals ? intervals.spearmanInterval : undefined} state={state} testId="spearman-interval" />
      <td>
        <NetworkLink id={top.id} benchmark={benchmark} />
        {top.ties > 1 && <span className="hint"> and {formatCount(top.ties - 1)} tied (their mean)</span>}
      </td>
      <td>{accuracyText(benchmark, top.accuracy)}</td>
      <td>{top.percentile.toFixed(1)} %</td>
    </tr>
  );
}

/** the measured entropy's row before it is measured: the button, or the measurement's progress */
function EntropyRow({ benchmark }: { benchmark: BenchmarkView }) {
  const entropy = useValidationStore((s) => s.entropy);
  const error = useValidationStore((s) => s.entropyError);
  const { measureEntropy, cancelEntropy } = useValidationStore.getState();
  return (
    <tr data-testid="proxy-row" data-proxy="entropy">
      <th scope="row">
        {proxyLabel('entropy')}
        <span className="proxy-note">{proxyNote('entropy')}</span>
      </th>
      <td colSpan={7} className="entropy-cell">
        {entropy ? (
          <TaskStatus label="Measuring entropy" progress={entropy.progress} remainingMs={entropy.remainingMs} onCancel={cancelEntropy} testId="entropy-progress" />
        ) : (
          <>
            <button data-testid="measure-all-entropy" onClick={() => void measureEntropy()}>
              Measure entropy for all {formatCount(benchmark.ids.length)} networks
            </button>{' '}
            <span className="hint">a forward pass per network on onnxruntime-web (wasm) in a worker: minutes for thousands</span>
          </>
        )}
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
      </td>
    </tr>
  );
}

/** where the bootstrap of a proxy without intervals is */
function bootstrapState(name: ProxyName, bootstrap: { proxy: ProxyName } | null): string {
  if (!bootstrap) return 'not computed';
  return bootstrap.proxy === name ? 'resampling…' : 'waiting';
}

/**
 * Every proxy's Kendall τ-b and Spearman ρ against accuracy with their bootstrap intervals, and
 * the network it ranks first. τ and ρ have three decimals, as the CLI prints them.
 */
export function ProxyTable({ benchmark }: { benchmark: BenchmarkView }) {
  const proxies = useValidationStore((s) => s.proxies);
  const bootstrap = useValidationStore((s) => s.bootstrap);
  const { computeIntervals, cancelIntervals } = useValidationStore.getState();
  const missing = Object.values(proxies).some((p) => !intervalsOf(p));
  return (
    <section className="panel" aria-labelledby="proxy-table-title">
      <h2 id="proxy-table-title">How well each proxy ranks the networks</h2>
      <div className="table-scroll">
        <table className="proxy-table" data-testid="proxy-table">
          <caption>
            Rank correlation with trained accuracy over all {formatCount(benchmark.ids.length)} networks (1: the same order, 0: unrelated), with 95 % bootstrap intervals ({formatCount(DEFAULT_BOOTSTRAP.resamples)} resamples, seed{' '}
            {DEFAULT_BOOTSTRAP.seed}); and the network each proxy ranks first, with the share of networks at or below its accuracy.
          </caption>
          <thead>
            <tr>
              <th scope="col">proxy</th>
              <th scope="col">Kendall τ-b</th>
              <th scope="col">τ 95 % interval</th>
              <th scope="col">Spearman ρ</th>
              <th scope="col">ρ 95 % interval</th>
              <th scope="col">top network</th>
              <th scope="col">its accuracy</th>
              <th scope="col">percentile</th>
            </tr>
          </thead>
          <tbody>
            {PROXY_NAMES.map((name) => {
              const entry = proxies[name];
              if (entry) return <ProxyRow key={name} entry={entry} benchmark={benchmark} state={bootstrapState(name, bootstrap)} />;
              return name === 'entropy' ? <EntropyRow key={name} benchmark={benchmark} /> : null;
            })}
          </tbody>
        </table>
      </div>
      {bootstrap ? (
        <TaskStatus label="Bootstrap intervals" progress={{ phase: `resampling ${proxyLabel(bootstrap.proxy)}`, done: bootstrap.done, total: bootstrap.total }} onCancel={cancelIntervals} testId="bootstrap-progress" />
      ) : (
        missing && (
          <p>
            <button onClick={() => void computeIntervals()}>Compute the 95 % intervals</button> <span className="hint">a few seconds per proxy</span>
          </p>
        )
      )}
    </section>
  );
}
