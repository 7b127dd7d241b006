/**
 * Cuts text into token-sized pieces for replay: a word with its leading space, a run of digits,
 * a punctuation mark, or a run of whitespace. Close to how a BPE tokenizer streams JSON, without
 * loading the real tokenizer; joining the pieces gives back the text exactly.
 */
export function splitIntoTokens(text: string): string[] {
  return text.match(/ ?[\p{L}\p{M}]+| ?\p{N}{1,3}|\s+|[^\s\p{L}\p{M}\p{N}]/gu) ?? [];
}
