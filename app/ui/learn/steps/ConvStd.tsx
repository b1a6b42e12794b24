export function ConvStd() {
  return <p>ConvStd (being written)</p>;
}
