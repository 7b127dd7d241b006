import type { ExtractedMemory } from '../memory';
import type { AnswerMemory } from '../schema/answer';

/** A memory object the model wrote that is not a valid memory, kept so a person can see why. */
export interface RejectedMemory {
  /** The parsed value, or the raw text when it was not JSON at all. */
  raw: unknown;
  /** Readable, e.g. `memories[3].dimension.memory_type: expected one of fact|episodic|profile`. */
  reason: string;
}

export interface ParsedAnswer {
  /** Valid memories in answer order. */
  memories: AnswerMemory[];
  rejected: RejectedMemory[];
  /** False when the answer stopped before its JSON object closed (e.g. `max_tokens` reached). */
  complete: boolean;
  /** What is wrong with the answer as a whole, if anything (cut off, no JSON, wrong shape). */
  error?: string;
}

export interface DroppedMemory {
  memory: AnswerMemory;
  reason: string;
}

/** A kept memory worth a second look, e.g. a `time` that is neither a date nor a range. */
export interface MemoryWarning {
  memory: AnswerMemory;
  reason: string;
}

export interface NormalizedMemories {
  memories: ExtractedMemory[];
  dropped: DroppedMemory[];
  /** Memories that were kept (they are in `memories`) but that a person may want to check. */
  warnings: MemoryWarning[];
}
