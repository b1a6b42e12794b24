export function ExportBackbone() {
  return <p>ExportBackbone (being written)</p>;
}
