/**
 * Budgets (§6.2): a candidate passes when every budgeted value is ≤ its budget (equality passes).
 */
import type { Structure } from './block';
import { flopsAt, layers, params } from './cost';
import { efficientScore } from './scores/deepmad';

export type BudgetKey = 'flops' | 'params' | 'layers' | 'efficientScore';
const BUDGET_KEYS: readonly BudgetKey[] = ['flops', 'params', 'layers', 'efficientScore'];

/** A budget left undefined (or null in JSON) is off. */
export type Budgets = Partial<Record<BudgetKey, number>>;

/** What the search records for each member: FLOPs at the search resolution, params, layers. */
export interface Costs {
  flops: number;
  params: number;
  layers: number;
  efficientScore?: number;
}

export function measureCosts(structure: Structure, imageSize: number, budgets: Budgets): Costs {
  const costs: Costs = { flops: flopsAt(structure, imageSize), params: params(structure), layers: layers(structure) };
  if (budgets.efficientScore !== undefined) costs.efficientScore = efficientScore(structure);
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
  return budget !== undefined && value !== undefined && budget < value;
}

export function budgetViolations(costs: Costs, budgets: Budgets): BudgetViolation[] {
  return BUDGET_KEYS.filter((key) => exceeds(costs, budgets, key)).map((key) => ({ key, value: costs[key]!, budget: budgets[key]! }));
}

export function satisfiesBudgets(costs: Costs, budgets: Budgets): boolean {
  for (const key of BUDGET_KEYS) if (exceeds(costs, budgets, key)) return false;
  return true;
}
