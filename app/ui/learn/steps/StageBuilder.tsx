export function StageBuilder() {
  return <p>StageBuilder (being written)</p>;
}
