import type * as TransformersModule from '@huggingface/transformers';

import { MINILM_MAX_TOKENS } from './miniLmModel';

type Transformers = typeof TransformersModule;

/** A loaded all-MiniLM-L6-v2: the library, its tokenizer and the model (Node or browser). */
export interface LoadedMiniLm {
  transformers: Transformers;
  tokenizer: Awaited<ReturnType<Transformers['AutoTokenizer']['from_pretrained']>>;
  model: Awaited<ReturnType<Transformers['AutoModel']['from_pretrained']>>;
}

/**
 * Vectors as sentence-transformers computes them: 256-token truncation, mean pooling over the
 * attention mask, L2 normalisation. `batchSize` texts per model call; an empty text becomes one
 * space (the tokenizer refuses nothing, but the model needs a token besides [CLS] and [SEP]).
 */
export async function embedWithMiniLm(
  { transformers, tokenizer, model }: LoadedMiniLm,
  texts: readonly string[],
  dimensions: number,
  batchSize: number,
  signal?: AbortSignal,
): Promise<Float32Array[]> {
  const vectors: Float32Array[] = [];
  for (let start = 0; start < texts.length; start += batchSize) {
    signal?.throwIfAborted();
    const batch = texts.slice(start, start + batchSize).map((text) => text || ' ');
    const inputs = tokenizer(batch, {
      padding: true,
      truncation: true,
      max_length: MINILM_MAX_TOKENS,
    });
    endCutRowsWithSep(inputs, tokenizer.sep_token_id);
    const output = (await model(inputs)) as {
      last_hidden_state: InstanceType<Transformers['Tensor']>;
    };
    const pooled = transformers
      .mean_pooling(output.last_hidden_state, inputs.attention_mask)
      .normalize(2, -1);
    const data = pooled.data as Float32Array;
    for (let row = 0; row < batch.length; row++) {
      vectors.push(data.slice(row * dimensions, (row + 1) * dimensions));
    }
  }
  return vectors;
}

/**
 * transformers.js cuts a long text's tokens after adding [CLS] and [SEP], so the row ends without
 * [SEP]; sentence-transformers (Hugging Face's tokenizers) cuts the text and keeps [SEP] as the
 * 256th token. A row cut at the limit gets its [SEP] back, so long texts get the same vectors.
 */
function endCutRowsWithSep(
  inputs: { input_ids: { data: unknown; dims: number[] }; attention_mask: { data: unknown } },
  sepId: number,
): void {
  const [rows = 0, columns = 0] = inputs.input_ids.dims;
  if (columns < MINILM_MAX_TOKENS) return;
  const ids = inputs.input_ids.data as BigInt64Array;
  const mask = inputs.attention_mask.data as BigInt64Array;
  const sep = BigInt(sepId);
  for (let row = 0; row < rows; row++) {
    const last = row * columns + columns - 1;
    if (mask[last] === 1n && ids[last] !== sep) ids[last] = sep;
  }
}

/** transformers.js's progress events, as file / loaded / total. */
export function fileProgressCallback(
  onProgress: ((progress: { file: string; loaded: number; total: number }) => void) | undefined,
) {
  return (info: { status: string; file?: string; loaded?: number; total?: number }) => {
    if (info.status === 'progress' && info.file !== undefined) {
      onProgress?.({ file: info.file, loaded: info.loaded ?? 0, total: info.total ?? 0 });
    }
  };
}
