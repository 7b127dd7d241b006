export { qwen3ChatPrompt } from './chatTemplate';
export { assertPromptable, planWindows } from './planWindows';
export type { PromptWindow } from './planWindows';
export { loadQwen3TokenCounter } from './qwen3Tokenizer';
export { defaultTokenBudget, planWindowsWithinBudget, TokenBudgetError } from './tokenBudget';
export type { BudgetedWindow, TokenBudget } from './tokenBudget';
export type { TokenCounter } from './tokenCounter';
export { defaultWindowSettings, validateWindowSettings } from './windowSettings';
export type { WindowSettings } from './windowSettings';
