export type { AnswerVerdict } from './answerVerdict';
export { answerVerdict } from './answerVerdict';
export { memoryTimeWarning } from './memoryTime';
export { normalizeMemories } from './normalizeMemories';
export { parseAnswer } from './parseAnswer';
export { StreamingAnswerParser } from './streamingAnswerParser';
export type {
  DroppedMemory,
  MemoryWarning,
  NormalizedMemories,
  ParsedAnswer,
  RejectedMemory,
} from './types';
