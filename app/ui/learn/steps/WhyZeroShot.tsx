export function WhyZeroShot() {
  return <p>WhyZeroShot (being written)</p>;
}
