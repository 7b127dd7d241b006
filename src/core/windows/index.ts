export { qwen3ChatPrompt } from './chatTemplate';
export { cutToFit, cutWarning } from './messageCut';
export type { CutMessage } from './messageCut';
export { assertPromptable, planWindows } from './planWindows';
// Windows are planned into prompt windows; the type lives with the prompt that is built from it.
export type { PromptWindow } from '../prompt/promptWindow';
export { promptTokensOf } from './promptTokens';
export type { PromptTokens } from './promptTokens';
export { loadQwen3TokenCounter, qwen3PreTokenizer, qwen3TokenCounter } from './qwen3Tokenizer';
export { defaultTokenBudget, planWindowsWithinBudget, TokenBudgetError } from './tokenBudget';
export type { BudgetedWindow, TokenBudget } from './tokenBudget';
export type { TokenCounter } from './tokenCounter';
export { defaultWindowSettings, validateWindowSettings } from './windowSettings';
export type { WindowSettings } from './windowSettings';
