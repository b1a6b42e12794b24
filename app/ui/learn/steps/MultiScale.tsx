export function MultiScale() {
  return <p>MultiScale (being written)</p>;
}
