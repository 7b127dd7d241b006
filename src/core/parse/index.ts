export { normalizeMemories } from './normalizeMemories';
export { parseAnswer } from './parseAnswer';
export { StreamingAnswerParser } from './streamingAnswerParser';
export type { DroppedMemory, NormalizedMemories, ParsedAnswer, RejectedMemory } from './types';
