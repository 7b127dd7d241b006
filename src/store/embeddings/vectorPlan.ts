import type { MemoryRecord } from '../db/records';
import { embeddingTextHash } from './embeddingTextHash';

/** What is known of a stored vector without decoding it. */
export interface StoredVector {
  modelId: string;
  textHash: string;
  dims: number;
  vector: ArrayBuffer;
}

export interface VectorPlan {
  /** Memories without a current vector (none, another model's, or of an older text), with the hash of their text now. */
  toEmbed: { memory: MemoryRecord; textHash: string }[];
  /** Stored vectors whose memory is gone. */
  toDelete: string[];
  /** Memories whose stored vector is current. */
  current: number;
}

/** Compares the committed memories with the stored vectors: what to embed, what to delete. */
export function planVectors(
  memories: readonly MemoryRecord[],
  stored: ReadonlyMap<string, StoredVector>,
  modelId: string,
): VectorPlan {
  const toEmbed: VectorPlan['toEmbed'] = [];
  const live = new Set<string>();
  let current = 0;
  for (const memory of memories) {
    live.add(memory.id);
    const textHash = embeddingTextHash(memory);
    const vector = stored.get(memory.id);
    if (vector && vector.modelId === modelId && vector.textHash === textHash) current += 1;
    else toEmbed.push({ memory, textHash });
  }
  const toDelete = [...stored.keys()].filter((id) => !live.has(id));
  return { toEmbed, toDelete, current };
}
