/**
 * Budgets (§6.2): a candidate passes when every budgeted value is ≤ its budget (equality passes).
 */
import type { Structure } from './block';
import { flopsAt, layers, params } from './cost';
import { convMacs } from './latency/ops';
import type { LatencyPredictor } from './latency/predictor';
import { efficientScore } from './scores/deepmad';

export type BudgetKey = 'flops' | 'macs' | 'params' | 'layers' | 'efficientScore' | 'latency';
const BUDGET_KEYS: readonly BudgetKey[] = ['flops', 'macs', 'params', 'layers', 'efficientScore', 'latency'];

/** A budget left undefined (or null in JSON) is off. */
export type Budgets = Partial<Record<BudgetKey, number>>;

/** What the search records for each member: FLOPs at the search resolution, params, layers. */
export interface Costs {
  flops: number;
  params: number;
  layers: number;
  /** conv multiply–accumulates at the search resolution (with a MACs budget) */
  macs?: number;
  efficientScore?: number;
  /** predicted ms per image on the latency profile's device (with a latency budget) */
  latency?: number;
}

/**
 * The costs a budget check needs; latency only with a latency budget, predicted by `latency`, and
 * only for a structure within the other budgets (the search's children mostly fail those, and
 * the prediction is the dearest cost).
 */
export function measureCosts(structure: Structure, imageSize: number, budgets: Budgets, latency?: LatencyPredictor): Costs {
  const costs: Costs = { flops: flopsAt(structure, imageSize), params: params(structure), layers: layers(structure) };
  if (budgets.macs !== undefined) costs.macs = convMacs(structure, imageSize);
  if (budgets.efficientScore !== undefined) costs.efficientScore = efficientScore(structure);
  if (budgets.latency !== undefined && latency) costs.latency = satisfiesBudgets(costs, budgets) ? latency.predictMs(structure) : NaN;
  return costs;
}

export interface BudgetViolation {
  key: BudgetKey;
  value: number;
  budget: number;
}

function exceeds(costs: Costs, budgets: Budgets, key: BudgetKey): boolean {
  const budget = budgets[key];
  const value = costs[key];
  // NaN (not predicted: another budget failed first) passes here; that other budget rejects
  return budget !== undefined && value !== undefined && budget < value;
}

export function budgetViolations(costs: Costs, budgets: Budgets): BudgetViolation[] {
  return BUDGET_KEYS.filter((key) => exceeds(costs, budgets, key)).map((key) => ({ key, value: costs[key]!, budget: budgets[key]! }));
}

export function satisfiesBudgets(costs: Costs, budgets: Budgets): boolean {
  for (const key of BUDGET_KEYS) if (exceeds(costs, budgets, key)) return false;
  return true;
}
