import { CheckpointFileMissingError, CheckpointRefusedError } from './errors';
import { expectedTensors } from './qwen3Layout';
import { parseQwen3Config } from './qwen3Config';
import { readSafetensorsHeader, safetensorsDtypeBytes } from './safetensors';
import type {
  Checkpoint,
  CheckpointInspection,
  CheckpointReader,
  CheckpointRefusal,
  SourceTensor,
} from './types';
import { errorText } from '../errorText';

const indexFile = 'model.safetensors.index.json';
const singleFile = 'model.safetensors';
const compareBlockBytes = 16 * 1024 * 1024;

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Reads a checkpoint's `config.json`, its safetensors index (or its one `model.safetensors`) and
 * every weight file's header, and says whether it can be converted: a Qwen3 model of any size in
 * bf16, every tensor present with the right shape and whole in its file, and the head tied (an
 * `lm_head.weight` is accepted only when it is byte for byte the embedding). Reads no weights,
 * except to compare an `lm_head.weight` with the embedding.
 */
export async function inspectCheckpoint(
  reader: CheckpointReader,
  signal?: AbortSignal,
): Promise<CheckpointInspection> {
  const refused = (
    refusals: CheckpointRefusal[],
    config?: Checkpoint['config'],
  ): CheckpointInspection =>
    config ? { convertible: false, config, refusals } : { convertible: false, refusals };

  let configText: string;
  try {
    configText = await reader.readText('config.json');
  } catch (error) {
    if (error instanceof CheckpointFileMissingError) {
      return refused([{ field: 'config.json', message: 'The checkpoint has no config.json.' }]);
    }
    throw error;
  }
  const parsed = parseQwen3Config(configText);
  if (!parsed.config) return refused(parsed.refusals);
  const config = parsed.config;

  // Which file holds which tensor, in the order the index lists them (mlc-llm's loading order).
  let weightMap: [string, string][] | undefined;
  try {
    const index = JSON.parse(await reader.readText(indexFile)) as unknown;
    const map = (index as { weight_map?: unknown } | null)?.weight_map;
    if (
      typeof map !== 'object' ||
      map === null ||
      Array.isArray(map) ||
      !Object.values(map).every((file) => typeof file === 'string')
    ) {
      return refused(
        [{ field: indexFile, message: `${indexFile} has no weight_map of tensor names to files.` }],
        config,
      );
    }
    weightMap = Object.entries(map as Record<string, string>);
  } catch (error) {
    if (error instanceof SyntaxError) {
      return refused([{ field: indexFile, message: `${indexFile} is not valid JSON.` }], config);
    }
    if (!(error instanceof CheckpointFileMissingError)) throw error;
  }
  const fileNames = weightMap ? [...new Set(weightMap.map(([, file]) => file))] : [singleFile];

  const refusals: CheckpointRefusal[] = [];
  const files: Checkpoint['files'] = [];
  // No prototype: tensor names come from files (a tensor may be called `__proto__`).
  const tensors: Record<string, SourceTensor> = Object.create(null) as Record<string, SourceTensor>;
  const headerOrder: string[] = [];
  for (const file of fileNames) {
    let size: number;
    try {
      size = await reader.size(file);
    } catch (error) {
      if (!(error instanceof CheckpointFileMissingError)) throw error;
      const what = weightMap
        ? `${indexFile} names ${file}, which is missing`
        : `it has neither ${indexFile} nor ${singleFile}`;
      refusals.push({ field: file, message: `The checkpoint is incomplete: ${what}.` });
      continue;
    }
    try {
      const header = await readSafetensorsHeader(reader, file, size, signal);
      if (header.dataEnd > size) {
        refusals.push({
          field: file,
          message: `${file} is truncated: it has ${size} bytes, its header needs ${header.dataEnd}. Download it again.`,
        });
        continue;
      }
      for (const tensor of header.tensors) {
        tensors[tensor.name] = tensor;
        headerOrder.push(tensor.name);
      }
      files.push({ name: file, size });
    } catch (error) {
      if (error instanceof CheckpointFileMissingError) throw error;
      if (signal?.aborted) throw error;
      refusals.push({
        field: file,
        message: errorText(error),
      });
    }
  }
  if (refusals.length > 0) return refused(refusals, config);

  if (weightMap) {
    for (const [name, file] of weightMap) {
      if (tensors[name]?.file !== file) {
        refusals.push({
          field: name,
          message: `${indexFile} puts ${name} in ${file}, but that file does not hold it.`,
        });
      }
    }
  }
  for (const expected of expectedTensors(config)) {
    const tensor = tensors[expected.name];
    if (!tensor) {
      refusals.push({
        field: expected.name,
        message: `The checkpoint has no tensor ${expected.name}.`,
      });
      continue;
    }
    refusals.push(...tensorProblems(tensor, expected.shape));
  }
  if (refusals.length > 0) return refused(refusals, config);

  const head = tensors['lm_head.weight'];
  if (head) {
    const embedding = tensors['model.embed_tokens.weight'] as SourceTensor;
    const shapeProblems = tensorProblems(head, embedding.shape);
    if (shapeProblems.length > 0 || !(await sameBytes(reader, head, embedding, signal))) {
      return refused(
        [
          {
            field: 'lm_head.weight',
            message:
              "The checkpoint has its own lm_head.weight, different from the embedding. WebLLM's prebuilt Qwen3-4B library ties the head to the embedding, so it cannot run this model; only a library compiled for an untied head can (the Python path, scripts/build-mlc-model.sh, with a compiled model library).",
          },
        ],
        config,
      );
    }
  } else if (!config.tie_word_embeddings) {
    return refused(
      [
        {
          field: 'tie_word_embeddings',
          message:
            'config.json: tie_word_embeddings is false, but the checkpoint has no lm_head.weight.',
        },
      ],
      config,
    );
  }

  const loadingOrder = weightMap
    ? fileNames.flatMap((file) =>
        weightMap.filter(([, owner]) => owner === file).map(([name]) => name),
      )
    : [...headerOrder].sort();
  return {
    convertible: true,
    checkpoint: {
      config,
      tensors,
      files,
      loadingOrder,
      totalParams: Object.values(tensors).reduce((sum, tensor) => sum + product(tensor.shape), 0),
    },
    refusals: [],
  };
}

/** The checkpoint, or an error listing every refusal. */
export function convertibleCheckpoint(inspection: CheckpointInspection): Checkpoint {
  if (!inspection.convertible) throw new CheckpointRefusedError(inspection.refusals);
  return inspection.checkpoint;
}

function tensorProblems(tensor: SourceTensor, shape: readonly number[]): CheckpointRefusal[] {
  if (tensor.dtype !== 'BF16') {
    const stored =
      tensor.dtype === 'F16' ? 'float16' : tensor.dtype === 'F32' ? 'float32' : tensor.dtype;
    return [
      {
        field: tensor.name,
        message: `${tensor.name} is stored as ${stored} (${tensor.dtype}); the converter reproduces mlc-llm exactly for bf16 checkpoints only, like the published DimMem-4B one.`,
      },
    ];
  }
  if (tensor.shape.length !== shape.length || tensor.shape.some((n, i) => n !== shape[i])) {
    return [
      {
        field: tensor.name,
        message: `${tensor.name} has shape [${tensor.shape.join(', ')}]; config.json implies [${shape.join(', ')}].`,
      },
    ];
  }
  const bytes = product(tensor.shape) * (safetensorsDtypeBytes[tensor.dtype] ?? 0);
  if (tensor.end - tensor.start !== bytes) {
    return [
      {
        field: tensor.name,
        message: `${tensor.name} spans ${tensor.end - tensor.start} bytes, not ${bytes}.`,
      },
    ];
  }
  return [];
}

async function sameBytes(
  reader: CheckpointReader,
  a: SourceTensor,
  b: SourceTensor,
  signal?: AbortSignal,
) {
  const length = a.end - a.start;
  if (length !== b.end - b.start) return false;
  for (let offset = 0; offset < length; offset += compareBlockBytes) {
    const end = Math.min(length, offset + compareBlockBytes);
    const [left, right] = await Promise.all([
      reader.read(a.file, a.start + offset, a.start + end, signal),
      reader.read(b.file, b.start + offset, b.start + end, signal),
    ]);
    if (left.byteLength !== right.byteLength) return false;
    for (let i = 0; i < left.byteLength; i += 1) if (left[i] !== right[i]) return false;
  }
  return true;
}
