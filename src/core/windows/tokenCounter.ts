/** Counts the tokens of a text with the model's tokenizer. */
export interface TokenCounter {
  count(text: string): number;
  /**
   * The text's tokens as text, in order (a character split over two tokens stays whole in one
   * piece); joined, they give the text in NFC form. Used only to cut a message that cannot fit on
   * token boundaries; without it, a message is cut between code points.
   */
  split?(text: string): string[];
}
