/**
 * The prompt as the model receives it: the Qwen3 chat template around one user message, with
 * thinking disabled (WebLLM's `enable_thinking: false` appends the empty think block to the
 * assistant header). These 12 tokens are part of the context, so the token budget counts them.
 */
export function qwen3ChatPrompt(prompt: string): string {
  return `<|im_start|>user\n${prompt}<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n`;
}
