/** A line of `<out>.rejected.jsonl`: what was kept out of the memories, and why. */
export interface RejectedRecord {
  conversationId: string;
  windowIndex: number;
  /**
   * `answer`: the answer as a whole is malformed or cut off (raw = the answer text);
   * `memory`: one memory object failed the schema (raw = that object);
   * `dropped`: a valid memory normalization left out, e.g. sourced from overlap context;
   * `time-warning`: a memory that *was kept* in the memories file, but whose `time` is neither a
   * date nor a range (raw = the answer's memory object), so a person can check it.
   */
  kind: 'answer' | 'memory' | 'dropped' | 'time-warning';
  reason: string;
  raw: unknown;
  model: string;
}
