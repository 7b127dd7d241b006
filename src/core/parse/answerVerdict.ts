import type { ParsedAnswer } from './types';

/**
 * What becomes of a model's answer, decided once for the app and the CLI:
 * - `accepted`: its JSON closed, in the expected shape.
 * - `cut-off`: the token limit ended it before its JSON closed (`error`: what the parser saw).
 * - `malformed`: no JSON, the wrong shape, or JSON that broke off without the limit being reached.
 * - `unfinished`: it ended before its JSON closed and the parser has nothing more to say.
 * In every case the memories that were complete are kept; only `accepted` finishes the window.
 */
export type AnswerVerdict =
  | { kind: 'accepted' }
  | { kind: 'cut-off'; error?: string }
  | { kind: 'malformed'; error: string }
  | { kind: 'unfinished' };

/** `finishReason` as the engine reports it: `length` means the token limit was reached. */
export function answerVerdict(
  parsed: Pick<ParsedAnswer, 'complete' | 'error'>,
  finishReason: string,
): AnswerVerdict {
  if (finishReason === 'length' && !parsed.complete) {
    return parsed.error === undefined
      ? { kind: 'cut-off' }
      : { kind: 'cut-off', error: parsed.error };
  }
  if (parsed.error !== undefined) return { kind: 'malformed', error: parsed.error };
  if (!parsed.complete) return { kind: 'unfinished' };
  return { kind: 'accepted' };
}
