/**
 * A small ONNX graph builder: inputs, outputs, float initializers and nodes, with the attribute
 * types inferred from the values. `toBytes()` gives an opset-17 model (IR 8) via protobufjs.
 */
import { AttrType, ElemType, encodeModel, type AttributeMessage, type NodeMessage, type TensorMessage, type ValueInfoMessage } from './proto';

const OPSET = 17;
const IR_VERSION = 8;

/** a dimension: a size, or the name of a dynamic one (e.g. 'N') */
export type Dim = number | string;

export type AttributeValue = number | number[] | { float: number } | { floats: number[] };

function attribute(name: string, value: AttributeValue): AttributeMessage {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`attribute ${name}: ${value} is not an integer; pass { float: ${value} } for a float`);
    return { name, type: AttrType.INT, i: value };
  }
  if (Array.isArray(value)) return { name, type: AttrType.INTS, ints: value };
  if ('float' in value) return { name, type: AttrType.FLOAT, f: value.float };
  return { name, type: AttrType.FLOATS, floats: value.floats };
}

function valueInfo(name: string, dims: readonly Dim[], elemType: number = ElemType.FLOAT): ValueInfoMessage {
  return { name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } } };
}

function bytesOf(data: Float32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export class GraphBuilder {
  private readonly nodes: NodeMessage[] = [];
  private readonly initializers: TensorMessage[] = [];
  private readonly inputs: ValueInfoMessage[] = [];
  private readonly outputs: ValueInfoMessage[] = [];
  private readonly used = new Map<string, number>();
  /** elements in float initializers so far */
  initializerElements = 0;

  constructor(readonly name: string) {}

  /** a fresh tensor name starting with `base` */
  fresh(base: string): string {
    const n = this.used.get(base) ?? 0;
    this.used.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  }

  input(name: string, dims: readonly Dim[]): string {
    this.inputs.push(valueInfo(name, dims));
    return name;
  }

  output(name: string, dims: readonly Dim[]): string {
    this.outputs.push(valueInfo(name, dims));
    return name;
  }

  /** a float32 initializer (weights); `data.length` must equal the product of `dims` */
  initializer(name: string, dims: readonly number[], data: Float32Array): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (data.length !== size) throw new Error(`initializer ${name}: ${data.length} values for shape [${dims.join(', ')}]`);
    this.initializers.push({ name, dims: [...dims], dataType: ElemType.FLOAT, rawData: bytesOf(data) });
    this.initializerElements += size;
    return name;
  }

  /** an int64 constant initializer (shapes, axes) */
  int64(name: string, values: readonly number[]): string {
    this.initializers.push({ name, dims: [values.length], dataType: ElemType.INT64, rawData: bytesOf(BigInt64Array.from(values, (v) => BigInt(v))) });
    return name;
  }

  /** a float32 scalar constant */
  scalar(name: string, value: number): string {
    this.initializers.push({ name, dims: [], dataType: ElemType.FLOAT, rawData: bytesOf(Float32Array.of(value)) });
    return name;
  }

  /** add a node; returns its (single or first) output name */
  node(opType: string, inputs: readonly string[], outputs: readonly string[] | string, attributes: Record<string, AttributeValue> = {}): string {
    const outs = typeof outputs === 'string' ? [outputs] : [...outputs];
    this.nodes.push({ name: this.fresh(`${opType}_node`), opType, input: [...inputs], output: outs, attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)) });
    return outs[0];
  }

  /** the model bytes, with `metadata` as metadata_props */
  toBytes(metadata: Record<string, string> = {}, docString = ''): Uint8Array {
    return encodeModel({
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET }],
      producerName: 'maedet-studio',
      producerVersion: '1',
      docString,
      graph: { name: this.name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
      metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    });
  }
}
