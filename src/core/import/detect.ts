import type { ImportFormatId } from '../conversation';
import { chatgptFormat } from './chatgpt';
import { claudeFormat } from './claude';
import { looksLikeDimMemLines } from './dimmemLines';
import type { JsonFormat } from './jsonFormat';
import { parseJsonInput } from './jsonInput';
import { locomoFormat } from './locomo';
import { longMemEvalFormat } from './longmemeval';
import { openAiMessagesFormat } from './openaiMessages';
import { isRecord } from './schemaIssue';
import { shareGptFormat } from './sharegpt';
import { looksLikeTranscript } from './transcriptLines';

/** Tried in this order; each checks its own tell-tale keys, so the order only breaks ties. */
export const jsonFormats: readonly JsonFormat[] = [
  chatgptFormat,
  claudeFormat,
  longMemEvalFormat,
  locomoFormat,
  shareGptFormat,
  openAiMessagesFormat,
];
export const jsonFormatIds: ImportFormatId[] = jsonFormats.map((format) => format.id);
export const textFormatIds: ImportFormatId[] = ['dimmem-lines', 'transcript'];

export type Sniffed =
  | { kind: 'dimmem-lines' }
  | { kind: 'transcript' }
  | {
      kind: 'json';
      format: JsonFormat;
      value: unknown;
      /** Line numbers of JSON Lines records (null for a JSON document). */
      lineNumbers: number[] | null;
      badLines: { line: number; reason: string }[];
    }
  | { kind: 'unsupported'; tried: ImportFormatId[]; reason: string };

const MAX_KEYS_SHOWN = 6;

function describeKeys(record: Record<string, unknown>): string {
  const keys = Object.keys(record);
  if (keys.length === 0) return 'no keys';
  const shown = keys.slice(0, MAX_KEYS_SHOWN).join(', ');
  return `keys ${shown}${keys.length > MAX_KEYS_SHOWN ? `, … (${keys.length} in all)` : ''}`;
}

/** "an object with keys a, b" / "a list of 3 items; the first is an object with keys …" */
export function describeShape(value: unknown): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return 'an empty list';
    const first: unknown = value[0];
    const what = isRecord(first) ? `an object with ${describeKeys(first)}` : describeShape(first);
    return `a list of ${value.length} items; the first is ${what}`;
  }
  if (isRecord(value)) return `an object with ${describeKeys(value)}`;
  if (value === null) return 'null';
  return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
}

/**
 * The list inside `{"conversations": [...]}`, a wrapper export tools write around ChatGPT, Claude
 * and other conversations; the value itself otherwise. The same key around ShareGPT turns
 * (`{from, value}`) is one ShareGPT conversation, so the wrapped items' own shape decides.
 */
export function unwrapConversationList(value: unknown): unknown {
  if (!isRecord(value) || !Array.isArray(value.conversations)) return value;
  const first: unknown = value.conversations.find(isRecord);
  if (first === undefined || (isRecord(first) && 'from' in first)) return value;
  return value.conversations;
}

function detectJsonFormat(value: unknown): JsonFormat | null {
  const first: unknown = Array.isArray(value)
    ? value.find((item) => isRecord(item) || Array.isArray(item))
    : value;
  if (first === undefined) return null;
  return jsonFormats.find((format) => format.looksLike(first)) ?? null;
}

const firstLine = (text: string) => text.split('\n').find((line) => line.trim() !== '') ?? '';

/** Decides what a text is, without importing it. `text` has no BOM and `\n` line ends. */
export function sniff(text: string): Sniffed {
  if (text.trim() === '') return { kind: 'unsupported', tried: [], reason: 'it is empty' };
  if (text.includes('\u0000')) {
    return {
      kind: 'unsupported',
      tried: [],
      reason: 'it looks like a binary file (NUL characters), not text',
    };
  }
  if (looksLikeDimMemLines(text)) return { kind: 'dimmem-lines' };
  const start = text.trimStart()[0];
  if (start === '{' || start === '[') {
    const input = parseJsonInput(text);
    if (input.kind === 'invalid') {
      // `[10:15] Anna: hi` starts like JSON but is a transcript.
      if (looksLikeTranscript(firstLine(text))) return { kind: 'transcript' };
      return { kind: 'unsupported', tried: jsonFormatIds, reason: input.reason };
    }
    const value =
      input.kind === 'json'
        ? unwrapConversationList(input.value)
        : input.lines.map((line) => line.value);
    const format = detectJsonFormat(value);
    if (!format) {
      const what = input.kind === 'json' ? 'JSON' : 'JSON Lines';
      return {
        kind: 'unsupported',
        tried: jsonFormatIds,
        reason: `${what} of unknown shape: ${describeShape(value)}`,
      };
    }
    return {
      kind: 'json',
      format,
      value,
      lineNumbers: input.kind === 'jsonl' ? input.lines.map((line) => line.line) : null,
      badLines: input.kind === 'jsonl' ? input.badLines : [],
    };
  }
  if (looksLikeTranscript(text)) return { kind: 'transcript' };
  return {
    kind: 'unsupported',
    tried: textFormatIds,
    reason: 'it is not JSON and has no "Name: message" lines',
  };
}
