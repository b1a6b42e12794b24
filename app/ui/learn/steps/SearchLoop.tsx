/**
 * Step 6: the search loop itself (spec §6.3–6.4): a population filled with the seed, a parent
 * drawn at random, a child mutated from it, the budgets, and the best kept. The widget runs the
 * engine's own search one child at a time, on the studio's set-up with a small population, and
 * shows who enters the population and who leaves it.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Structure } from '../../../engine/block';
import { budgetViolations, measureCosts, type BudgetViolation } from '../../../engine/budgets';
import { budgetsOf, presetConfig, type RunConfig } from '../../../engine/config';
import { ConfigError } from '../../../engine/errors';
import type { Member } from '../../../engine/evolution/population';
import { Search } from '../../../engine/evolution/search';
import { structureChanges, type BlockChange } from '../../../engine/structure';
import { formatWithUnit } from '../../../engine/units';
import { asSentence, formatCount, formatGiga } from '../../format';
import { ActionButton } from '../../components/ActionButton';
import { describeSetUp, useStudioConfig } from './useStudioConfig';
import './lessonSteps.css';

/** small enough that the whole population fits on the screen */
const POPULATION = 12;
const SPEEDS = [
  { label: 'slowly (1 child every 1.5 s)', ms: 1500 },
  { label: '2 children a second', ms: 500 },
  { label: '10 children a second', ms: 100 },
];
const SKIP = 1000;
const REFERENCE = presetConfig('detection-r50');

/** what became of a child: it broke a budget, entered the population, or was not kept */
type Kept = 'rejected' | 'entered' | 'notKept';
/** the same, telling a child already in the population from one that scored too low */
type Outcome = Exclude<Kept, 'notKept'> | 'duplicate' | 'below';

/** what one child did to the population */
interface Turn {
  evaluated: number;
  /** the parent's rank (1-based) in the population it was drawn from */
  parentRank: number;
  parentScore: number;
  parent: Structure;
  changes: BlockChange[];
  member: Member | null;
  kept: Kept;
  outcome: Outcome;
  violations: BudgetViolation[];
  /** members that left, with how many copies of each */
  left: { member: Member; copies: number }[];
}

type Tally = Record<Kept, number>;

function countsOf(members: readonly Member[]): Map<Member, number> {
  const counts = new Map<Member, number>();
  for (const m of members) counts.set(m, (counts.get(m) ?? 0) + 1);
  return counts;
}

function keptOf(search: Search): Kept {
  const { member } = search.latestChild!;
  return !member ? 'rejected' : search.population.members.includes(member) ? 'entered' : 'notKept';
}

/** one turn of the loop, and what it changed */
function runChild(search: Search): Turn {
  const before = [...search.population.members];
  search.advance(1);
  const { parent, child, member } = search.latestChild!;
  const after = search.population.members;
  const afterCounts = countsOf(after);
  const left = [...countsOf(before)].filter(([m, n]) => n > (afterCounts.get(m) ?? 0)).map(([m, n]) => ({ member: m, copies: n - (afterCounts.get(m) ?? 0) }));
  const parentMember = before.find((m) => m.structure === parent)!;
  const budgets = budgetsOf(search.config);
  const kept = keptOf(search);
  const outcome: Outcome = kept !== 'notKept' ? kept : before.some((m) => m.key === member!.key) ? 'duplicate' : 'below';
  return {
    evaluated: search.evaluated,
    parentRank: before.indexOf(parentMember) + 1,
    parentScore: parentMember.score,
    parent,
    changes: structureChanges(parent, child),
    member,
    kept,
    outcome,
    violations: member ? [] : budgetViolations(measureCosts(child, search.config.imageSize, budgets), budgets),
    left,
  };
}

/** the engine's search on a set-up with the lesson's population, ranked after every child, and what its children did */
class LoopRun {
  turn: Turn | null = null;
  tally: Tally = { rejected: 0, entered: 0, notKept: 0 };

  constructor(readonly search: Search) {}

  /** run children; only the last is shown, so the others are only counted (1,000 at once stay a short task) */
  step(children: number): void {
    const { search, tally } = this;
    for (let i = 0; i < children && !search.done; i++) {
      if (i === children - 1 || search.evaluated === search.total - 1) {
        this.turn = runChild(search);
        tally[this.turn.kept]++;
      } else {
        search.advance(1);
        tally[keptOf(search)]++;
      }
    }
  }
}

/** a run on the studio's set-up, or why the set-up cannot run */
function createRun(config: RunConfig): LoopRun | string {
  try {
    return new LoopRun(Search.create({ ...config, search: { ...config.search, popuSize: POPULATION, workers: 1 } }, { stepSize: 1 }));
  } catch (e) {
    if (e instanceof ConfigError) return asSentence(e.reason);
    throw e;
  }
}

/** a block in two short lines: its output channels, then kernel, bottleneck and depth */
function BlockCell({ block }: { block: Structure[number] }) {
  return (
    <>
      {block.out}
      {block.L !== undefined && <div className="hint">{`k${block.k} b${block.btn} ×${block.L}`}</div>}
    </>
  );
}
const changeText = (c: BlockChange) => `block ${c.block} ${c.key} ${c.from} → ${c.to}${c.key === 'in' ? ` (it follows block ${c.block - 1}'s out)` : ''}`;
const violationText = (v: BudgetViolation) => `${v.key} ${formatWithUnit(v.value, 4)} > ${formatWithUnit(v.budget, 4)}`;

function TurnReport({ turn, lowest, blocksPerChild }: { turn: Turn; lowest: number; blocksPerChild: number }) {
  const { member } = turn;
  const verdict = {
    rejected: `rejected: it breaks the budgets (${turn.violations.map(violationText).join(', ')}); it counts as evaluated, and is never scored`,
    entered: `scored ${member?.score.toFixed(1)}: it enters the population`,
    duplicate: `scored ${member?.score.toFixed(1)}, but the same network is already in the population: the ranking keeps one copy`,
    below: `scored ${member?.score.toFixed(1)}, no higher than the lowest member (${lowest.toFixed(1)}): not kept`,
  }[turn.outcome];
  return (
    <ol className="loop-turn" data-testid="loop-turn" data-outcome={turn.outcome} data-evaluated={turn.evaluated} data-child-score={member?.score}>
      <li>
        Parent: the member then at rank {turn.parentRank} (score {turn.parentScore.toFixed(1)}), drawn uniformly.
      </li>
      <li>Mutated: {turn.changes.length ? turn.changes.map(changeText).join('; ') : 'nothing changed (every mutation drew the value it had)'}.</li>
      <li>
        Child {formatCount(turn.evaluated)}: {verdict}.
      </li>
      {new Set(turn.changes.filter((c) => c.key !== 'in').map((c) => c.block)).size < blocksPerChild && (
        <li className="hint">
          The {blocksPerChild} blocks are drawn independently, so a block can be drawn twice, and a mutation can land on the value a block already has (a
          channel count clamped by its neighbours, say): a child can differ in fewer places.
        </li>
      )}
      {turn.left.length > 0 && (
        <li>
          Left the population:{' '}
          {turn.left.map(({ member: m, copies }) => `${copies > 1 ? `${copies} copies of ` : ''}the network scoring ${m.score.toFixed(1)}`).join(', ')}
          {turn.outcome === 'entered' ? ' — the new child pushed it out' : ' — the ranking keeps one copy of each network'}.
        </li>
      )}
    </ol>
  );
}

function PopulationTable({ search, turn }: { search: Search; turn: Turn | null }) {
  const members = search.population.members;
  const changed = new Set(turn?.outcome === 'entered' ? turn.changes.map((c) => c.block) : []);
  const blocks = search.config.model.structure.length;
  const row = (m: Member, rank: number | null, className: string | undefined, copies = 1) => (
    <tr key={`${rank ?? 'left'}-${m.key}`} className={className} data-testid={rank === null ? 'loop-left' : 'loop-member'} data-score={m.score}>
      <td>{rank ?? (copies > 1 ? `left ×${copies}` : 'left')}</td>
      <td>{m.score.toFixed(1)}</td>
      <td>{formatGiga(m.flops, 1)}</td>
      <td>{m.layers}</td>
      {m.structure.map((b, i) => (
        <td key={i} className={className === 'entered' && changed.has(i) ? 'changed' : undefined}>
          <BlockCell block={b} />
        </td>
      ))}
    </tr>
  );
  return (
    <div className="table-scroll">
      <table className="stage-table loop-population" data-testid="loop-population">
        <thead>
          <tr>
            <th>rank</th>
            <th>score</th>
            <th>FLOPs</th>
            <th>layers</th>
            {Array.from({ length: blocks }, (_, i) => (
              <th key={i}>{i === 0 ? 'stem' : `block ${i}`}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {members.map((m, i) => row(m, i + 1, turn?.outcome === 'entered' && m === turn.member ? 'entered' : m.structure === turn?.parent ? 'parent' : undefined))}
          {turn?.left.map(({ member, copies }) => row(member, null, 'left', copies))}
        </tbody>
      </table>
    </div>
  );
}

/** the widget for one run; "start again" remounts it */
function Loop({ config, onRestart }: { config: RunConfig; onRestart: () => void }) {
  const run = useMemo(() => createRun(config), [config]);
  const [, setVersion] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(0);
  const advance = useCallback(
    (children: number) => {
      if (typeof run === 'string') return;
      run.step(children);
      if (run.search.done) setPlaying(false);
      setVersion((v) => v + 1);
    },
    [run],
  );
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => advance(1), SPEEDS[speed].ms);
    return () => clearInterval(timer);
  }, [playing, speed, advance]);

  if (typeof run === 'string') {
    return (
      <p className="field-error" role="alert">
        {run}
      </p>
    );
  }
  const { search, turn, tally } = run;
  return (
    <>
      <div className="widget-controls">
        <ActionButton onClick={() => advance(1)} disabled={playing || search.done} data-testid="loop-next">
          Next child
        </ActionButton>
        <button onClick={() => setPlaying((p) => !p)} disabled={search.done} data-testid="loop-play">
          {playing ? 'Pause' : 'Play'}
        </button>
        <label>
          speed{' '}
          <select aria-label="loop speed" value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
            {SPEEDS.map((s, i) => (
              <option key={s.label} value={i}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <ActionButton onClick={() => advance(SKIP)} disabled={playing || search.done}>
          {formatCount(SKIP)} more at once
        </ActionButton>
        <button onClick={onRestart}>Start again</button>
      </div>
      <p className="hint" data-testid="loop-tally" data-evaluated={search.evaluated}>
        Set-up: {describeSetUp(config)}; seed {config.search.seed}. {formatCount(search.evaluated)} children evaluated: {formatCount(tally.rejected)} broke
        a budget, {formatCount(tally.entered)} entered the population, {formatCount(tally.notKept)} scored too low or were already in it.
      </p>
      {turn ? <TurnReport turn={turn} lowest={search.population.members.at(-1)!.score} blocksPerChild={config.space.blockNum} /> : <p className="hint">Press Next child to draw the first parent.</p>}
      <PopulationTable search={search} turn={turn} />
    </>
  );
}

export function SearchLoop() {
  const studio = useStudioConfig();
  const [attempt, setAttempt] = useState(0);
  return (
    <>
      <p>The search that uses the score is short to state (TinyNAS&apos;s evolutionary searcher; the numbers are the detection preset&apos;s):</p>
      <ol>
        <li>Fill a population of {REFERENCE.search.popuSize} with copies of the starting network (TinyNAS&apos;s seed structure; it must fit the budgets).</li>
        <li>Draw a parent uniformly from the population.</li>
        <li>
          Mutate {REFERENCE.space.blockNum} of its blocks, each drawn at random: change its output channels, its bottleneck, its kernel (3 or 5) or its
          depth, within the space&apos;s rules.
        </li>
        <li>Measure the child&apos;s FLOPs and layers. If it breaks a budget it is dropped — it still counts as evaluated.</li>
        <li>
          Otherwise score it and insert it; then rank: keep one copy of each distinct network, sort by score, keep the best {REFERENCE.search.popuSize}.
        </li>
        <li>Repeat until {formatCount(REFERENCE.search.numRandomNets)} children have been evaluated; the best member is the result.</li>
      </ol>
      <p>
        There are no generations, no crossover and no tournament: the only selection is keeping the best. A good child raises the population, so
        the next parents are better on average, and the score climbs. The widget runs the studio&apos;s search engine one child at a time, with a
        population of {POPULATION} so that all of it fits on the screen.
      </p>
      <div className="widget" data-testid="search-loop">
        {studio.error && (
          <p className="field-error" role="alert">
            {studio.error}
          </p>
        )}
        {studio.config && <Loop key={attempt} config={studio.config} onRestart={() => setAttempt((n) => n + 1)} />}
      </div>
    </>
  );
}
