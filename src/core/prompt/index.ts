export { buildPrompt, promptFormatVersion, promptVariants } from './buildPrompt';
export type { PromptVariant } from './buildPrompt';
export type { PromptWindow } from './promptWindow';
export { cardInstructions } from './cardInstructions';
export { formatMessageLine } from './formatMessageLine';
export { overlapRuleText } from './overlapRule';
export { maxContentCodePoints, truncateContent } from './truncateContent';
