import { flopsAt, layers, paperTableFlops, params, stageCount } from '../engine/cost';
import { REFERENCE_NETWORKS } from '../engine/referenceNetworks';
import { madnas } from '../engine/scores/madnas';
import { formatGiga, formatMega } from './format';
import { DETECTION_STAGE_WEIGHTS } from '../engine/configFields';


/**
 * constant inputs, so measured once when the module loads; the detection catalogue: the networks
 * with the five stages the detection weights score (not NAS-Bench-Macro's four-stage seed)
 */
const ROWS = REFERENCE_NETWORKS.filter((n) => stageCount(n.structure) === DETECTION_STAGE_WEIGHTS.length).map((n) => ({
  name: n.name,
  label: n.label,
  params: params(n.structure),
  layers: layers(n.structure),
  flops480: flopsAt(n.structure, 480),
  paper: paperTableFlops(n.structure),
  score: madnas(n.structure, DETECTION_STAGE_WEIGHTS).total,
}));

/** The reference networks measured by the engine, live in the page. */
export function ReferenceTable() {
  return (
    <table className="reference-table" data-testid="reference-table">
      <thead>
        <tr>
          <th scope="col">Network</th>
          <th scope="col">Params</th>
          <th scope="col">Layers</th>
          <th scope="col">FLOPs @480²</th>
          <th scope="col">FLOPs @1280×800 (paper)</th>
          <th scope="col">Entropy score [0,0,1,1,6]</th>
        </tr>
      </thead>
      <tbody>
        {ROWS.map((r) => (
          <tr key={r.name} data-network={r.name}>
            <th scope="row">{r.label}</th>
            <td>{formatMega(r.params)}</td>
            <td>{r.layers}</td>
            <td>{formatGiga(r.flops480)}</td>
            <td>{formatGiga(r.paper, 1)}</td>
            <td data-value={r.score}>{r.score.toFixed(2)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
