/** Counts the tokens of a text with the model's tokenizer. */
export interface TokenCounter {
  count(text: string): number;
}
