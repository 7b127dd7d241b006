import { z } from 'zod';

/**
 * One memory's embedding, computed in the embeddings worker after its window commits. Owned by
 * `src/store/embeddings/`; kept apart from the memory record so the table never loads vectors.
 */
export const memoryVectorRecordSchema = z.object({
  memoryId: z.string().min(1),
  /** The embedding model that wrote it: vectors of another model are recomputed, never mixed. */
  modelId: z.string().min(1),
  /** Hash of the text that was embedded, so an edited memory is embedded again. */
  textHash: z.string(),
  /** The vector's numbers, compact (`Float32Array` or quantized `Int8Array` buffer). */
  vector: z.instanceof(ArrayBuffer),
  dims: z.int().positive(),
});
export type MemoryVectorRecord = z.infer<typeof memoryVectorRecordSchema>;
