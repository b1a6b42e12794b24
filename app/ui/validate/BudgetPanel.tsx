import { useCallback, useId, useMemo } from 'react';
import { proxyLabel, type RegretPoint } from '../../engine/benchmark/validation';
import { ChartFrame, type Scales } from '../components/ChartFrame';
import { ChartKeys, type ChartSeries } from '../components/ChartKeys';
import { axisTicks, scoreTickFormat, stableDomain, tickLabel } from '../components/charts';
import { formatCount } from '../format';
import { shownProxies, useValidationStore, type BenchmarkView, type ProxyEntry } from '../stores/validationStore';
import { NetworkLink } from './NetworkLink';
import { accuracyText, countText } from './units';

const CURVE_HEIGHT = 220;

/** the regret of each proxy along the ladder as lines, and the budget chosen as a dashed line */
function RegretLines({ scales, proxies, ladder, index }: { scales: Scales; proxies: readonly ProxyEntry[]; ladder: readonly number[]; index: number }) {
  const { area } = scales;
  const budgetX = scales.x(ladder[index]);
  return (
    <g className="regret-lines">
      <line className="regret-budget" x1={budgetX} x2={budgetX} y1={area.y} y2={area.y + area.height} />
      {proxies.map((p) => {
        const points = p.regret.flatMap((r) => (r ? [[scales.x(r.budget), scales.y(r.regret)] as const] : []));
        return (
          <g key={p.name} className={`regret-line proxy-${p.name}`}>
            <polyline points={points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')} />
            {points.map(([x, y], k) => (
              <circle key={k} cx={x} cy={y} r={2.5} />
            ))}
          </g>
        );
      })}
    </g>
  );
}

/** regret against the budget for every proxy; Enter on a point sets the budget */
function RegretCurve({ proxies, ladder, index, accuracyUnit }: { proxies: readonly ProxyEntry[]; ladder: readonly number[]; index: number; accuracyUnit: string }) {
  const xDomain = useMemo(() => stableDomain(null, [ladder[0], ladder[ladder.length - 1]]), [ladder]);
  const yDomain = useMemo((): [number, number] => {
    const worst = Math.max(0, ...proxies.flatMap((p) => p.regret.map((r) => r?.regret ?? 0)));
    return [0, stableDomain(null, [0, worst])[1]];
  }, [proxies]);
  const yFormat = useMemo(() => scoreTickFormat(axisTicks(yDomain)), [yDomain]);
  const read = useCallback(
    (): ChartSeries[] =>
      proxies.map((p) => ({
        name: `${proxyLabel(p.name)} point`,
        points: p.regret.flatMap((r, k) =>
          r
            ? [
                {
                  x: r.budget,
                  y: r.regret,
                  text: `${proxyLabel(p.name)} within ${countText(r.budget)} FLOPs: regret ${r.regret.toFixed(2)}${accuracyUnit}`,
                  pick: () => {
                    useValidationStore.getState().setBudgetIndex(k);
                    return 'budget set';
                  },
                },
              ]
            : [],
        ),
      })),
    [proxies, accuracyUnit],
  );
  const summary = proxies.map((p) => `${proxyLabel(p.name)} ${p.regret.map((r) => (r ? r.regret.toFixed(2) : '–')).join(', ')}`).join('; ');
  return (
    <ChartKeys name="Regret against the FLOPs budget, one line per proxy" summary={`Regret at each budget of the ladder, smallest first: ${summary}.`} read={read} help="On the chart: ← and → step along a proxy's line, ↑ and ↓ go to the other proxies; Enter sets the budget there.">
      <ChartFrame
        height={CURVE_HEIGHT}
        xDomain={xDomain}
        yDomain={yDomain}
        xFormat={tickLabel}
        yFormat={yFormat}
        xTitle="FLOPs budget"
        yTitle={`regret${accuracyUnit ? ` (${accuracyUnit.trim()})` : ''}`}
        marks={(scales) => <RegretLines scales={scales} proxies={proxies} ladder={ladder} index={index} />}
        overlay={() => null}
      />
    </ChartKeys>
  );
}

/** what a proxy picks within the budget, and what that costs against the best */
function PickRow({ name, point, benchmark }: { name: ProxyEntry['name']; point: RegretPoint | null; benchmark: BenchmarkView }) {
  return (
    <tr data-testid="budget-row" data-proxy={name}>
      <th scope="row">
        <span className={`line-key proxy-${name}`} aria-hidden="true" />
        {proxyLabel(name)}
      </th>
      {point ? (
        <>
          <td>
            <NetworkLink id={point.pick.id} benchmark={benchmark} />
            {point.pick.ties > 1 && <span className="hint"> and {formatCount(point.pick.ties - 1)} tied</span>}
          </td>
          <td>{accuracyText(benchmark, point.pick.accuracy)}</td>
          <td data-testid="regret">{point.regret.toFixed(2)}</td>
        </>
      ) : (
        <td colSpan={3}>no network fits</td>
      )}
    </tr>
  );
}

/**
 * A FLOPs budget chosen on the benchmark's ladder (FLOPs of the networks at 10 %, 20 %, … of
 * them): what each proxy's top network within it reaches, and its regret against the most
 * accurate network within it; and the regret along the whole ladder.
 */
export function BudgetPanel({ benchmark }: { benchmark: BenchmarkView }) {
  const proxies = useValidationStore((s) => s.proxies);
  const index = useValidationStore((s) => s.budgetIndex);
  const setBudgetIndex = useValidationStore((s) => s.setBudgetIndex);
  const shown = useMemo(() => shownProxies(proxies), [proxies]);
  const { ladder } = benchmark;
  const at = shown.map((p) => ({ name: p.name, point: p.regret[index] ?? null }));
  const any = at.find((a) => a.point)?.point ?? null;
  const total = benchmark.ids.length;
  const within = any ? `${formatCount(any.networks)} of ${formatCount(total)} networks (${Math.round((100 * any.networks) / total)} %)` : 'no network';
  const id = useId();
  // a difference of two percentages is in percentage points
  const unit = benchmark.kind === 'nas-bench-macro' ? ' points' : '';
  return (
    <section className="panel budget-panel" aria-labelledby={`${id}-title`} data-testid="budget-panel">
      <h2 id={`${id}-title`}>Within a FLOPs budget</h2>
      <div className="budget-control">
        <label htmlFor={`${id}-slider`}>FLOPs budget</label>
        <input
          id={`${id}-slider`}
          type="range"
          min={0}
          max={ladder.length - 1}
          step={1}
          value={index}
          onChange={(e) => setBudgetIndex(Number(e.target.value))}
          aria-valuetext={`at most ${countText(ladder[index])} FLOPs: ${within}`}
          data-testid="budget-slider"
        />
        <output htmlFor={`${id}-slider`} data-testid="budget-value">
          ≤ {countText(ladder[index])} FLOPs: {within}
        </output>
      </div>
      {any && (
        <p>
          The most accurate network within it: <NetworkLink id={any.best.id} benchmark={benchmark} />, {accuracyText(benchmark, any.best.accuracy)}. Each proxy picks the network it ranks first within the budget; the
          regret is what that pick gives up against the best.
        </p>
      )}
      <div className="budget-body">
        <div className="table-scroll">
          <table className="budget-table">
            <caption>Each proxy’s pick within the budget</caption>
            <thead>
              <tr>
                <th scope="col">proxy</th>
                <th scope="col">its pick</th>
                <th scope="col">accuracy</th>
                <th scope="col">regret{unit && ` (${unit.trim()})`}</th>
              </tr>
            </thead>
            <tbody>
              {at.map(({ name, point }) => (
                <PickRow key={name} name={name} point={point} benchmark={benchmark} />
              ))}
            </tbody>
          </table>
        </div>
        <div className="regret-curve">
          <RegretCurve proxies={shown} ladder={ladder} index={index} accuracyUnit={unit} />
        </div>
      </div>
    </section>
  );
}
