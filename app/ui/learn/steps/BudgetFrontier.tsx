export function BudgetFrontier() {
  return <p>BudgetFrontier (being written)</p>;
}
