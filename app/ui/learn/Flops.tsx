import { formatGiga } from '../format';

/**
 * FLOPs in the two conventions a learner meets: the search's (TinyNAS `get_flops`: multiply–
 * accumulates plus BN and ReLU ops, at the search's square input) and the paper's table (backbone
 * FLOPs at 1280×800 by mmcv's counter). Both count a multiply–add once.
 */
export function Flops({ flops, resolution, paperFlops1280x800 }: { flops: number; resolution: number; paperFlops1280x800: number }) {
  return (
    <span className="flops-pair">
      {formatGiga(flops)}FLOPs at {resolution}×{resolution} ({formatGiga(paperFlops1280x800, 1)}FLOPs at 1280×800, as the paper counts)
    </span>
  );
}

/** the conventions, said once per step where FLOPs stand next to the paper's numbers */
export function FlopsConventions({ resolution }: { resolution: number }) {
  return (
    <>
      The studio&apos;s FLOPs are multiply–accumulates (plus the BN and ReLU operations, as TinyNAS counts them) at the search&apos;s {resolution}×{resolution} input; the
      paper&apos;s table gives the backbone&apos;s FLOPs at 1280×800 by mmcv&apos;s counter. Both count a multiply–add once: papers that count it as two
      FLOPs report twice these numbers.
    </>
  );
}
