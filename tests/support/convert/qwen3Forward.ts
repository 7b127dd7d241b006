/**
 * A plain Qwen3 forward pass in float64 for the tests: embedding → layers (RMSNorm, q/k RMSNorm per
 * head, rotary embedding, grouped-query causal attention, SwiGLU) → norm → tied head. Matrices are
 * row-major [out, in] as Hugging Face stores them.
 */

export interface Qwen3Dims {
  hidden_size: number;
  intermediate_size: number;
  num_attention_heads: number;
  num_key_value_heads: number;
  head_dim: number;
  vocab_size: number;
  rms_norm_eps: number;
  rope_theta: number;
}

export interface Qwen3LayerWeights {
  inputNorm: Float64Array;
  q: Float64Array;
  k: Float64Array;
  v: Float64Array;
  o: Float64Array;
  qNorm: Float64Array;
  kNorm: Float64Array;
  postNorm: Float64Array;
  gate: Float64Array;
  up: Float64Array;
  down: Float64Array;
}

export interface Qwen3Weights {
  embed: Float64Array;
  layers: Qwen3LayerWeights[];
  norm: Float64Array;
}

function matVec(matrix: Float64Array, vector: Float64Array, rows: number): Float64Array {
  const cols = vector.length;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r += 1) {
    let sum = 0;
    for (let c = 0; c < cols; c += 1)
      sum += (matrix[r * cols + c] as number) * (vector[c] as number);
    out[r] = sum;
  }
  return out;
}

function rmsNorm(
  x: Float64Array,
  weight: Float64Array,
  eps: number,
  offset = 0,
  size = x.length,
): void {
  let sum = 0;
  for (let i = 0; i < size; i += 1) sum += (x[offset + i] as number) ** 2;
  const scale = 1 / Math.sqrt(sum / size + eps);
  for (let i = 0; i < size; i += 1)
    x[offset + i] = (x[offset + i] as number) * scale * (weight[i] as number);
}

/** Rotary embedding, "rotate half" layout (Qwen3 / mlc-llm's RopeMode.NORMAL). */
function rope(
  x: Float64Array,
  offset: number,
  headDim: number,
  position: number,
  theta: number,
): void {
  const half = headDim / 2;
  for (let i = 0; i < half; i += 1) {
    const angle = position / theta ** ((2 * i) / headDim);
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    const a = x[offset + i] as number;
    const b = x[offset + half + i] as number;
    x[offset + i] = a * cos - b * sin;
    x[offset + half + i] = b * cos + a * sin;
  }
}

/** Logits for every position of `tokens` (vocab values per position). */
export function qwen3Logits(
  dims: Qwen3Dims,
  weights: Qwen3Weights,
  tokens: number[],
): Float64Array[] {
  const { hidden_size: hidden, head_dim: headDim, rms_norm_eps: eps } = dims;
  const heads = dims.num_attention_heads;
  const kvHeads = dims.num_key_value_heads;
  const states = tokens.map((token) => weights.embed.slice(token * hidden, (token + 1) * hidden));
  for (const layer of weights.layers) {
    const keys: Float64Array[] = [];
    const values: Float64Array[] = [];
    const queries: Float64Array[] = [];
    states.forEach((state, position) => {
      const x = state.slice();
      rmsNorm(x, layer.inputNorm, eps);
      const q = matVec(layer.q, x, heads * headDim);
      const k = matVec(layer.k, x, kvHeads * headDim);
      for (let h = 0; h < heads; h += 1) {
        rmsNorm(q, layer.qNorm, eps, h * headDim, headDim);
        rope(q, h * headDim, headDim, position, dims.rope_theta);
      }
      for (let h = 0; h < kvHeads; h += 1) {
        rmsNorm(k, layer.kNorm, eps, h * headDim, headDim);
        rope(k, h * headDim, headDim, position, dims.rope_theta);
      }
      queries.push(q);
      keys.push(k);
      values.push(matVec(layer.v, x, kvHeads * headDim));
    });
    states.forEach((state, position) => {
      const attended = new Float64Array(heads * headDim);
      for (let h = 0; h < heads; h += 1) {
        const kv = Math.floor(h / (heads / kvHeads));
        const scores = keys.slice(0, position + 1).map((key) => {
          let dot = 0;
          for (let i = 0; i < headDim; i += 1) {
            dot +=
              (queries[position]?.[h * headDim + i] as number) * (key[kv * headDim + i] as number);
          }
          return dot / Math.sqrt(headDim);
        });
        const max = Math.max(...scores);
        const exps = scores.map((score) => Math.exp(score - max));
        const total = exps.reduce((a, b) => a + b, 0);
        exps.forEach((e, j) => {
          for (let i = 0; i < headDim; i += 1) {
            attended[h * headDim + i] =
              (attended[h * headDim + i] as number) +
              (e / total) * (values[j]?.[kv * headDim + i] as number);
          }
        });
      }
      const out = matVec(layer.o, attended, hidden);
      for (let i = 0; i < hidden; i += 1) state[i] = (state[i] as number) + (out[i] as number);
      const x = state.slice();
      rmsNorm(x, layer.postNorm, eps);
      const gate = matVec(layer.gate, x, dims.intermediate_size);
      const up = matVec(layer.up, x, dims.intermediate_size);
      const act = gate.map((g, i) => (g / (1 + Math.exp(-g))) * (up[i] as number));
      const down = matVec(layer.down, act, hidden);
      for (let i = 0; i < hidden; i += 1) state[i] = (state[i] as number) + (down[i] as number);
    });
  }
  return states.map((state) => {
    const x = state.slice();
    rmsNorm(x, weights.norm, eps);
    return matVec(weights.embed, x, dims.vocab_size);
  });
}
