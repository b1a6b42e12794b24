import { CartesianGrid, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { scoreTick } from './charts';

const MARGIN = { top: 10, right: 24, bottom: 24, left: 10 };

/**
 * Measured entropy against the analytic score, one point per measured candidate. A module of its
 * own, loaded with the first measurement: recharts is most of the studio's script, and a page that
 * only searches never needs it.
 */
export function MeasuredScatter({ points }: { points: { analytic: number; measured: number }[] }) {
  return (
    <ResponsiveContainer width="100%" height={240}>
      <ScatterChart margin={MARGIN}>
        <CartesianGrid strokeOpacity={0.2} />
        <XAxis type="number" dataKey="analytic" name="analytic score" domain={['auto', 'auto']} tickFormatter={scoreTick} label={{ value: 'analytic score', position: 'insideBottom', offset: -12 }} />
        <YAxis type="number" dataKey="measured" name="measured entropy" domain={['auto', 'auto']} width={60} tickFormatter={scoreTick} />
        <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(2) : String(v))} />
        <Scatter data={points} fill="#2e6fd8" isAnimationActive={false} />
      </ScatterChart>
    </ResponsiveContainer>
  );
}
