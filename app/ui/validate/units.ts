/** Numbers of the validation view as people read them. */
import type { ProxyName } from '../../engine/benchmark/validation';
import { formatWithUnit } from '../../engine/units';
import type { BenchmarkView } from '../stores/validationStore';

/** an accuracy: NAS-Bench-Macro's are percent; a file's are in the file's own unit */
export const accuracyText = (benchmark: BenchmarkView, value: number): string => `${value.toFixed(2)}${benchmark.kind === 'nas-bench-macro' ? ' %' : ''}`;

/** FLOPs and params with a unit: "36.8 M" */
export const countText = (value: number): string => formatWithUnit(value, 3);

/** a proxy's value: counts with a unit, scores with two decimals */
export const proxyValueText = (name: ProxyName, value: number): string => (name === 'flops' || name === 'params' ? countText(value) : value.toFixed(2));
