import { toPythonIsoformat } from '../time/localTime';
import { referenceAnswerPromptTemplate } from './referenceAnswerPrompt';
import type { SearchableMemory } from './types';

/**
 * `cited` (the default): the reference's answer prompt plus one instruction asking the model to
 * cite the `[rank]` numbers of the memories it used, so every claim can be traced to a memory (a
 * documented deviation). `reference`: the reference's prompt exactly, answers without citations.
 */
export const answerPromptStyles = ['cited', 'reference'] as const;
export type AnswerPromptStyle = (typeof answerPromptStyles)[number];

const citationAnchor =
  '- If multiple answers are acceptable from the evidence, provide the most direct one.\n';
export const citationInstruction =
  '- Cite the memories you used by their numbers in square brackets, e.g. [2] or [1][3].\n';

/** The reference's prompt with the citation instruction as the last answer rule. */
export const citedAnswerPromptTemplate = referenceAnswerPromptTemplate.replace(
  citationAnchor,
  () => citationAnchor + citationInstruction,
);

/** A memory as the answer prompt shows it: what the reference's `_memory_lines` prints. */
export type AnswerMemory = Pick<
  SearchableMemory,
  'content' | 'reason' | 'purpose' | 'messageTimestamp'
>;

/**
 * The reference's `source_time`: Python's `str()` of the source message's naive datetime
 * (`2023-05-20 09:30:00`), which is how its retrieval files carried it to the answer step.
 */
const sourceTime = (memory: AnswerMemory) =>
  toPythonIsoformat(memory.messageTimestamp).replace('T', ' ');

/** `[rank]`, `source_time`, `content`, `reason`, `purpose` lines, empty fields left out. */
export function formatRetrievedMemories(memories: readonly AnswerMemory[]): string {
  if (memories.length === 0) return '[No retrieved memories]';
  return memories
    .map((memory, index) => {
      const lines = [`[${index + 1}]`, `source_time: ${sourceTime(memory)}`];
      const content = memory.content.trim();
      const reason = memory.reason.trim();
      const purpose = memory.purpose.trim();
      if (content) lines.push(`content: ${content}`);
      if (reason) lines.push(`reason: ${reason}`);
      if (purpose) lines.push(`purpose: ${purpose}`);
      return lines.join('\n');
    })
    .join('\n\n');
}

export interface AnswerPromptInput {
  question: string;
  /** As the question's date is known, e.g. `2023-07-12`; `""` when unknown. */
  questionDate: string;
  /** Best first: the `[rank]` a citation names is the position here, from 1. */
  memories: readonly AnswerMemory[];
  style?: AnswerPromptStyle;
}

/** The answer prompt, filled as the reference fills it (`[unknown]` for a missing date). */
export function buildAnswerPrompt(input: AnswerPromptInput): string {
  const template =
    (input.style ?? 'cited') === 'cited'
      ? citedAnswerPromptTemplate
      : referenceAnswerPromptTemplate;
  return template
    .replace('{{query}}', () => input.question.trim())
    .replace('{{question_date}}', () => input.questionDate.trim() || '[unknown]')
    .replace('{{retrieved_memories}}', () => formatRetrievedMemories(input.memories));
}

export interface ParsedAnswer {
  reasoning: string;
  /** The text after `Answer:`, or the whole text when the model wrote no such line. */
  answer: string;
  /** The memory numbers cited anywhere in the text that name a memory given (1-based, sorted). */
  citations: number[];
  /** Cited numbers that name no memory given: shown to the reader, never silently dropped. */
  unknownCitations: number[];
}

/** Reads `Reasoning: … Answer: …` as the reference does, and the `[n]` citations. */
export function parseAnswerText(text: string, memoryCount: number): ParsedAnswer {
  let reasoning = '';
  let answer = text.trim();
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (/^reasoning:/i.test(trimmed)) reasoning = trimmed.slice(trimmed.indexOf(':') + 1).trim();
    else if (/^answer:/i.test(trimmed)) answer = trimmed.slice(trimmed.indexOf(':') + 1).trim();
  }
  const cited = new Set<number>();
  for (const group of text.matchAll(/\[(\d+(?:\s*[,;]\s*\d+)*)\]/g)) {
    for (const number of group[1]!.split(/[,;]/)) cited.add(Number(number.trim()));
  }
  const numbers = [...cited].sort((a, b) => a - b);
  return {
    reasoning,
    answer,
    citations: numbers.filter((n) => n >= 1 && n <= memoryCount),
    unknownCitations: numbers.filter((n) => n < 1 || n > memoryCount),
  };
}
