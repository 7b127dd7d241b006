import protobuf from 'protobufjs';

/**
 * TEST ONLY: writes ONNX model files with protobufjs. The schema is the part of onnx.proto (ONNX
 * 1.x, field numbers unchanged since IR version 3) that a graph of plain operators needs: model,
 * graph, nodes with attributes, tensors as raw little-endian bytes, typed inputs and outputs.
 */
const onnxSubset = `
syntax = "proto3";
package onnx;
message OperatorSetIdProto { string domain = 1; int64 version = 2; }
message TensorShapeProto {
  message Dimension { int64 dim_value = 1; string dim_param = 2; }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor { int32 elem_type = 1; TensorShapeProto shape = 2; }
  Tensor tensor_type = 1;
}
message ValueInfoProto { string name = 1; TypeProto type = 2; }
message TensorProto {
  repeated int64 dims = 1;
  int32 data_type = 2;
  string name = 8;
  bytes raw_data = 9;
}
message AttributeProto {
  string name = 1;
  float f = 2;
  int64 i = 3;
  bytes s = 4;
  TensorProto t = 5;
  repeated int64 ints = 8;
  int32 type = 20;
}
message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  string name = 3;
  string op_type = 4;
  repeated AttributeProto attribute = 5;
  string domain = 7;
}
message GraphProto {
  repeated NodeProto node = 1;
  string name = 2;
  repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
}
message ModelProto {
  int64 ir_version = 1;
  string producer_name = 2;
  GraphProto graph = 7;
  repeated OperatorSetIdProto opset_import = 8;
}
`;

const modelType = protobuf.parse(onnxSubset).root.lookupType('onnx.ModelProto');

/** ONNX's TensorProto.DataType numbers for the types used here. */
export const onnxType = { float: 1, uint8: 2, int8: 3, int32: 6, int64: 7 } as const;
export type OnnxType = keyof typeof onnxType;

/** AttributeProto.AttributeType numbers. */
const attributeType = { float: 1, int: 2, tensor: 4, ints: 7 } as const;

export interface OnnxTensor {
  name: string;
  type: OnnxType;
  dims: readonly number[];
  /** Little-endian element bytes. */
  bytes: Uint8Array;
}

export type OnnxAttribute = number | readonly number[] | { int: number } | OnnxTensor;

export interface OnnxNode {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: Record<string, OnnxAttribute>;
  domain?: string;
}

export interface OnnxValue {
  name: string;
  type: OnnxType;
  /** A number is a fixed size, a string a named (dynamic) one. */
  shape: readonly (number | string)[];
}

export interface OnnxGraph {
  name: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxTensor[];
  inputs: readonly OnnxValue[];
  outputs: readonly OnnxValue[];
  /** Default-domain opset. */
  opset: number;
}

/** Little-endian bytes of typed values (the host's order is little-endian on every CI machine). */
export function tensorOf(
  name: string,
  type: OnnxType,
  dims: readonly number[],
  values: Float32Array | Uint8Array | Int32Array | BigInt64Array,
): OnnxTensor {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  return { name, type, dims, bytes };
}

const tensorMessage = (tensor: OnnxTensor) => ({
  name: tensor.name,
  dims: [...tensor.dims],
  dataType: onnxType[tensor.type],
  rawData: tensor.bytes,
});

function attributeMessage(name: string, value: OnnxAttribute) {
  if (typeof value === 'number') return { name, type: attributeType.float, f: value };
  if (Array.isArray(value)) return { name, type: attributeType.ints, ints: [...value] };
  if ('int' in value) return { name, type: attributeType.int, i: value.int };
  return { name, type: attributeType.tensor, t: tensorMessage(value as OnnxTensor) };
}

const valueMessage = (value: OnnxValue) => ({
  name: value.name,
  type: {
    tensorType: {
      elemType: onnxType[value.type],
      shape: {
        dim: value.shape.map((dim) =>
          typeof dim === 'number' ? { dimValue: dim } : { dimParam: dim },
        ),
      },
    },
  },
});

/** The model file's bytes (IR version 8, as ONNX Runtime 1.14 and later read). */
export function writeOnnxModel(graph: OnnxGraph): Uint8Array {
  const message = modelType.fromObject({
    irVersion: 8,
    producerName: 'dimmem-web tests',
    opsetImport: [{ domain: '', version: graph.opset }],
    graph: {
      name: graph.name,
      node: graph.nodes.map((node, index) => ({
        name: `${node.op}_${index}`,
        opType: node.op,
        input: [...node.inputs],
        output: [...node.outputs],
        domain: node.domain ?? '',
        attribute: Object.entries(node.attributes ?? {}).map(([key, value]) =>
          attributeMessage(key, value),
        ),
      })),
      initializer: graph.initializers.map(tensorMessage),
      input: graph.inputs.map(valueMessage),
      output: graph.outputs.map(valueMessage),
    },
  });
  return modelType.encode(message).finish();
}
