/**
 * A general instruction model that reads questions and writes answers (DimMem-4B writes memories
 * only). The ask service talks to this interface; each place a model runs implements it.
 */
export interface AnswerModel {
  /** Who wrote the answer, as every answer is labelled: `Qwen/Qwen3-4B at http://…/v1`. */
  readonly label: string;
  /** Whether it runs on this browser's GPU, which a run may be holding. */
  readonly needsGpu: boolean;
  complete(prompt: string, options: CompleteOptions): Promise<string>;
}

export interface CompleteOptions {
  maxTokens: number;
  signal?: AbortSignal;
  /** The text so far, each time it grows (answers stream). */
  onText?: (textSoFar: string) => void;
  /** Constrain the answer to this JSON Schema (the query analysis), under this name. */
  jsonSchema?: { name: string; schema: unknown };
}

/** Why no model can answer now, in words the Ask box shows. */
export interface AnswerModelUnavailable {
  unavailable: string;
}

export type AnswerModelChoice = AnswerModel | AnswerModelUnavailable;

export const isUnavailable = (choice: AnswerModelChoice): choice is AnswerModelUnavailable =>
  'unavailable' in choice;
