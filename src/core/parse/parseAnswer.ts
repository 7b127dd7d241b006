import { StreamingAnswerParser } from './streamingAnswerParser';
import type { ParsedAnswer } from './types';

/** Parses a whole answer: the same code path as streaming, fed once. */
export function parseAnswer(text: string): ParsedAnswer {
  const parser = new StreamingAnswerParser();
  parser.push(text);
  return parser.finish();
}
