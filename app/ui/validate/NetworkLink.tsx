import { useValidationStore, type BenchmarkView } from '../stores/validationStore';

/** a network's id that shows it in the network panel (and brings the panel into view) */
export function NetworkLink({ id, benchmark }: { id: string; benchmark: BenchmarkView }) {
  const index = benchmark.ids.indexOf(id);
  if (index < 0) return <>{id}</>;
  return (
    <button
      className="link network-link"
      title="show this network"
      onClick={() => {
        void useValidationStore.getState().select(index);
        document.getElementById('network-panel')?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
      }}
    >
      {id}
    </button>
  );
}
