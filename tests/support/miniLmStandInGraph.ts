import { seededRandom } from '../../src/core/seededRandom';
import type { OnnxAttribute, OnnxGraph, OnnxNode, OnnxTensor, OnnxType } from './onnxModelWriter';
import { tensorOf } from './onnxModelWriter';

/**
 * TEST ONLY: a BERT encoder of all-MiniLM-L6-v2's shape with seeded random weights, as the graph
 * `Xenova/all-MiniLM-L6-v2/onnx/model_quantized.onnx` has it: inputs `input_ids`, `attention_mask`,
 * `token_type_ids` (int64 [batch_size, sequence_length]), output `last_hidden_state` (float
 * [batch_size, sequence_length, 384]); word, position (512) and type (2) embeddings, then 6 layers
 * of self-attention (12 heads of 32) and a 1,536-wide GELU feed-forward, each followed by a residual
 * LayerNorm. The export's operators are kept: LayerNorm as ReduceMean/Sub/Pow/Sqrt/Div, GELU with
 * Erf, the mask as (1 − mask) × float min. Every weight MatMul is dynamically quantized as ONNX
 * Runtime's `quantize_dynamic` writes it (uint8 weights with a zero point, DynamicQuantizeLinear on
 * the activations, MatMulInteger, then the scales), so the runtime does the q8 file's work; the
 * embeddings stay float, and the vocabulary is the caller's (a few thousand words, not 30,522).
 */
export const standInShape = {
  hidden: 384,
  heads: 12,
  layers: 6,
  intermediate: 1536,
  positions: 512,
  types: 2,
} as const;

type Values = Float32Array | Uint8Array | Int32Array | BigInt64Array;

class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private counter = 0;

  constant(name: string, type: OnnxType, dims: readonly number[], values: Values): string {
    this.initializers.push(tensorOf(name, type, dims, values));
    return name;
  }

  node(op: string, inputs: readonly string[], attributes?: Record<string, OnnxAttribute>): string {
    return this.nodeOutputs(op, inputs, 1, attributes)[0]!;
  }

  nodeOutputs(
    op: string,
    inputs: readonly string[],
    count: number,
    attributes?: Record<string, OnnxAttribute>,
  ): string[] {
    const outputs = Array.from({ length: count }, (_, i) => `${op}_${this.counter}_${i}`);
    this.counter += 1;
    this.nodes.push({ op, inputs, outputs, ...(attributes ? { attributes } : {}) });
    return outputs;
  }
}

/** Uniform values of standard deviation `std` (BERT initialises with 0.02), from `random`. */
function uniform(random: () => number, count: number, std: number): Float32Array {
  const half = std * Math.sqrt(3);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = (random() * 2 - 1) * half;
  return values;
}

function randomBytes(random: () => number, count: number): Uint8Array {
  const bytes = new Uint8Array(count);
  for (let i = 0; i < count; i += 4) {
    const word = Math.floor(random() * 4294967296);
    for (let k = 0; k < 4 && i + k < count; k++) bytes[i + k] = (word >>> (8 * k)) & 0xff;
  }
  return bytes;
}

const scalar = (value: number) => Float32Array.of(value);
const int64s = (...values: number[]) => BigInt64Array.from(values.map(BigInt));

export function miniLmStandInGraph(vocabSize: number, seed: number): OnnxGraph {
  const { hidden, heads, layers, intermediate, positions, types } = standInShape;
  const random = seededRandom(seed);
  const g = new GraphBuilder();
  let weightIndex = 0;

  const zeroPoint = g.constant('weight_zero_point', 'uint8', [], Uint8Array.of(128));
  // Uniform uint8 codes around 128 have a standard deviation of ≈ 73.9 codes: this scale makes the
  // dequantized weights' 0.02, BERT's initial one.
  const weightScale = g.constant('weight_scale', 'float', [], scalar(0.02 / 73.9));
  /** x · W + b with W [rows, columns] as uint8, as quantize_dynamic rewrites a MatMul. */
  const quantizedLinear = (x: string, rows: number, columns: number): string => {
    const name = `weight_${weightIndex++}`;
    const weight = g.constant(name, 'uint8', [rows, columns], randomBytes(random, rows * columns));
    const bias = g.constant(`${name}_bias`, 'float', [columns], uniform(random, columns, 0.02));
    const [quantized, scale, point] = g.nodeOutputs('DynamicQuantizeLinear', [x], 3);
    const product = g.node('MatMulInteger', [quantized!, weight, point!, zeroPoint]);
    const asFloat = g.node('Cast', [product], { to: { int: 1 } });
    const bothScales = g.node('Mul', [scale!, weightScale]);
    return g.node('Add', [g.node('Mul', [asFloat, bothScales]), bias]);
  };

  const two = g.constant('two', 'float', [], scalar(2));
  const epsilon = g.constant('epsilon', 'float', [], scalar(1e-12));
  let normIndex = 0;
  const layerNorm = (x: string): string => {
    const name = `norm_${normIndex++}`;
    const gainValues = uniform(random, hidden, 0.02).map((value) => 1 + value);
    const gain = g.constant(`${name}_gain`, 'float', [hidden], gainValues);
    const bias = g.constant(`${name}_bias`, 'float', [hidden], uniform(random, hidden, 0.02));
    const mean = g.node('ReduceMean', [x], { axes: [-1], keepdims: { int: 1 } });
    const centred = g.node('Sub', [x, mean]);
    const variance = g.node('ReduceMean', [g.node('Pow', [centred, two])], {
      axes: [-1],
      keepdims: { int: 1 },
    });
    const deviation = g.node('Sqrt', [g.node('Add', [variance, epsilon])]);
    return g.node('Add', [g.node('Mul', [g.node('Div', [centred, deviation]), gain]), bias]);
  };

  // Embeddings: word + position (0 … sequence_length − 1) + type, then LayerNorm.
  const wordTable = g.constant(
    'word_embeddings',
    'float',
    [vocabSize, hidden],
    uniform(random, vocabSize * hidden, 0.02),
  );
  const positionTable = g.constant(
    'position_embeddings',
    'float',
    [positions, hidden],
    uniform(random, positions * hidden, 0.02),
  );
  const typeTable = g.constant(
    'token_type_embeddings',
    'float',
    [types, hidden],
    uniform(random, types * hidden, 0.02),
  );
  const sequenceLength = g.node('Gather', [
    g.node('Shape', ['input_ids']),
    g.constant('one_index', 'int64', [], int64s(1)),
  ]);
  const positionIds = g.node('Range', [
    g.constant('range_start', 'int64', [], int64s(0)),
    sequenceLength,
    g.constant('range_step', 'int64', [], int64s(1)),
  ]);
  const summed = g.node('Add', [
    g.node('Add', [
      g.node('Gather', [wordTable, 'input_ids']),
      g.node('Gather', [positionTable, positionIds]),
    ]),
    g.node('Gather', [typeTable, 'token_type_ids']),
  ]);
  let state = layerNorm(summed);

  // The attention mask as BERT's export adds it to the scores: 0 where attended, float min where not.
  const maskFloat = g.node(
    'Cast',
    [g.node('Unsqueeze', ['attention_mask', g.constant('mask_axes', 'int64', [2], int64s(1, 2))])],
    { to: { int: 1 } },
  );
  const maskBias = g.node('Mul', [
    g.node('Sub', [g.constant('one', 'float', [], scalar(1)), maskFloat]),
    g.constant('float_min', 'float', [], scalar(-3.4028234663852886e38)),
  ]);

  const headSize = hidden / heads;
  const toHeads = g.constant('to_heads', 'int64', [4], int64s(0, 0, heads, headSize));
  const fromHeads = g.constant('from_heads', 'int64', [3], int64s(0, 0, hidden));
  const scoreScale = g.constant('score_scale', 'float', [], scalar(Math.sqrt(headSize)));
  const sqrtTwo = g.constant('sqrt_two', 'float', [], scalar(Math.SQRT2));
  const half = g.constant('half', 'float', [], scalar(0.5));
  const oneF = 'one';
  const split = (x: string, perm: number[]) =>
    g.node('Transpose', [g.node('Reshape', [x, toHeads])], { perm });

  for (let layer = 0; layer < layers; layer++) {
    const query = split(quantizedLinear(state, hidden, hidden), [0, 2, 1, 3]);
    const key = split(quantizedLinear(state, hidden, hidden), [0, 2, 3, 1]);
    const value = split(quantizedLinear(state, hidden, hidden), [0, 2, 1, 3]);
    const scores = g.node('Add', [
      g.node('Div', [g.node('MatMul', [query, key]), scoreScale]),
      maskBias,
    ]);
    const weights = g.node('Softmax', [scores], { axis: { int: -1 } });
    const context = g.node('Reshape', [
      g.node('Transpose', [g.node('MatMul', [weights, value])], { perm: [0, 2, 1, 3] }),
      fromHeads,
    ]);
    const attended = layerNorm(g.node('Add', [quantizedLinear(context, hidden, hidden), state]));
    const widened = quantizedLinear(attended, hidden, intermediate);
    const gelu = g.node('Mul', [
      g.node('Mul', [
        widened,
        g.node('Add', [g.node('Erf', [g.node('Div', [widened, sqrtTwo])]), oneF]),
      ]),
      half,
    ]);
    state = layerNorm(g.node('Add', [quantizedLinear(gelu, intermediate, hidden), attended]));
  }

  const nodes = g.nodes.map((node) =>
    node.outputs[0] === state ? { ...node, outputs: ['last_hidden_state'] } : node,
  );
  const ids = (name: string) => ({
    name,
    type: 'int64' as const,
    shape: ['batch_size', 'sequence_length'],
  });
  return {
    name: 'main_graph',
    opset: 14,
    nodes,
    initializers: g.initializers,
    inputs: [ids('input_ids'), ids('attention_mask'), ids('token_type_ids')],
    outputs: [
      {
        name: 'last_hidden_state',
        type: 'float',
        shape: ['batch_size', 'sequence_length', hidden],
      },
    ],
  };
}
