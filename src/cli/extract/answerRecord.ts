/** A line of `<out>.answers.jsonl`: the raw answer of a window, for provenance and re-parsing. */
export interface AnswerRecord {
  conversationId: string;
  windowIndex: number;
  model: string;
  finishReason: string;
  promptTokens: number;
  completionTokens: number;
  answer: string;
}
