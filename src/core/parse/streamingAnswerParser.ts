import { z } from 'zod';

import { answerSchema, type AnswerMemory } from '../schema/answer';
import { formatSchemaIssues } from '../schema/formatSchemaIssues';
import { JsonStartFinder } from './answerText';
import { readCutOffElement, readMemoryElement } from './memoryElement';
import type { ParsedAnswer, RejectedMemory } from './types';
import { errorText } from '../errorText';

/** The answer's outer shape alone; each memory is validated on its own as it completes. */
const answerEnvelopeSchema = answerSchema.extend({ memories: z.array(z.unknown()) });

/** Depth of a memory element's own braces: root object 1, `memories` array 2. */
const ELEMENT_DEPTH = 2;
/** How much of the previous text is compared to check that a push extends it. */
const CONTINUITY_CHECK = 16;

/**
 * Parses the model's answer while it streams. `push` takes the whole text so far (what the engine's
 * `onText` gives) and returns the memories completed since the previous push: a memory is yielded as
 * soon as its closing brace arrives.
 *
 * It scans each character once, tracking string/escape state and nesting depth, and parses a memory
 * only when its object closes, so a 2.5k-token answer costs linear time however it is chunked.
 * (Partial-JSON libraries re-parse the whole text on every call, which is quadratic when streaming.)
 */
export class StreamingAnswerParser {
  private readonly startFinder = new JsonStartFinder();
  private text = '';
  /** Characters of `text` already scanned. */
  private scanned = 0;
  private jsonStart: number | null = null;
  private jsonEnd: number | null = null;

  private depth = 0;
  private inString = false;
  private escaped = false;
  private stringStart = 0;
  private lastRootKey: string | null = null;
  private inMemories = false;
  private memoriesSeen = false;
  private elementStart: number | null = null;
  private elementIsObject = false;
  private elementCount = 0;

  private readonly memories: AnswerMemory[] = [];
  private readonly rejected: RejectedMemory[] = [];
  private result: ParsedAnswer | null = null;

  push(textSoFar: string): AnswerMemory[] {
    if (this.result) throw new Error('StreamingAnswerParser: push() after finish()');
    this.checkContinuity(textSoFar);
    this.text = textSoFar;
    // A trailing U+FFFD may be half a multi-byte character that the next token completes.
    let end = textSoFar.length;
    while (end > this.scanned && textSoFar.charCodeAt(end - 1) === 0xfffd) end -= 1;

    const before = this.memories.length;
    if (this.jsonStart === null) {
      this.jsonStart = this.startFinder.find(textSoFar, end);
      if (this.jsonStart === null) {
        this.scanned = end;
        return [];
      }
      this.scanned = this.jsonStart;
    }
    if (this.jsonEnd === null) this.scan(end);
    return this.memories.slice(before);
  }

  /** The answer as a whole, once the stream has ended (complete or not). Idempotent. */
  finish(): ParsedAnswer {
    this.result ??= this.summarize();
    return this.result;
  }

  private checkContinuity(textSoFar: string): void {
    const from = Math.max(0, this.scanned - CONTINUITY_CHECK);
    if (
      textSoFar.length < this.scanned ||
      textSoFar.slice(from, this.scanned) !== this.text.slice(from, this.scanned)
    ) {
      throw new Error(
        'StreamingAnswerParser: push() takes the whole answer so far, and this text does not extend the previous one',
      );
    }
  }

  private scan(end: number): void {
    const text = this.text;
    for (let i = this.scanned; i < end; i += 1) {
      const char = text[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (char === '\\') this.escaped = true;
        else if (char === '"') {
          this.inString = false;
          if (this.depth === 1) this.lastRootKey = text.slice(this.stringStart + 1, i);
        }
        continue;
      }
      const atElementLevel = this.inMemories && this.depth === ELEMENT_DEPTH;
      switch (char) {
        case '"':
          this.inString = true;
          this.stringStart = i;
          if (atElementLevel) this.startElement(i, false);
          break;
        case '{':
        case '[':
          if (atElementLevel) this.startElement(i, char === '{');
          if (
            char === '[' &&
            this.depth === 1 &&
            this.lastRootKey === 'memories' &&
            !this.memoriesSeen
          ) {
            this.memoriesSeen = true;
            this.inMemories = true;
          }
          this.depth += 1;
          break;
        case '}':
        case ']':
          this.depth -= 1;
          if (this.inMemories && this.elementStart !== null) {
            if (this.depth === ELEMENT_DEPTH && char === '}' && this.elementIsObject) {
              this.completeElement(i + 1);
            } else if (this.depth < ELEMENT_DEPTH) {
              this.completeElement(i);
            }
          }
          if (this.inMemories && this.depth < ELEMENT_DEPTH) this.inMemories = false;
          if (this.depth <= 0) {
            this.jsonEnd = i + 1;
            this.scanned = i + 1;
            return;
          }
          break;
        case ',':
          if (atElementLevel && this.elementStart !== null) this.completeElement(i);
          break;
        case ' ':
        case '\n':
        case '\r':
        case '\t':
          break;
        default:
          // A number, `true`, `null`…: not a memory, but still an element to report.
          if (atElementLevel) this.startElement(i, false);
      }
    }
    this.scanned = end;
  }

  private startElement(index: number, isObject: boolean): void {
    if (this.elementStart !== null) return;
    this.elementStart = index;
    this.elementIsObject = isObject;
  }

  private completeElement(end: number): void {
    if (this.elementStart === null) return;
    const elementText = this.text.slice(this.elementStart, end).trimEnd();
    this.elementStart = null;
    const result = readMemoryElement(elementText, this.elementCount);
    this.elementCount += 1;
    if ('memory' in result) this.memories.push(result.memory);
    else this.rejected.push(result.rejected);
  }

  private summarize(): ParsedAnswer {
    const memories = this.memories;
    const rejected = [...this.rejected];
    if (this.jsonStart === null) {
      const error = this.startFinder.insideThinkBlock
        ? 'The answer ended inside a <think> block, before any JSON.'
        : this.text.trim() === ''
          ? 'The answer is empty.'
          : 'The answer holds no JSON object.';
      return { memories, rejected, complete: false, error };
    }
    if (this.jsonEnd === null) {
      if (this.inMemories && this.elementStart !== null) {
        rejected.push(readCutOffElement(this.text.slice(this.elementStart), this.elementCount));
      }
      const kept =
        memories.length === 1 ? '1 complete memory' : `${memories.length} complete memories`;
      return {
        memories,
        rejected,
        complete: false,
        error: `The answer was cut off before its JSON ended; ${kept} kept.`,
      };
    }
    const envelopeError = this.checkEnvelope(this.text.slice(this.jsonStart, this.jsonEnd));
    return envelopeError === null
      ? { memories, rejected, complete: true }
      : { memories, rejected, complete: true, error: envelopeError };
  }

  /** Checks the outer shape once, at the end: `{"memories": [...]}` and nothing else. */
  private checkEnvelope(jsonText: string): string | null {
    let value: unknown;
    try {
      value = JSON.parse(jsonText);
    } catch (error) {
      const detail = errorText(error);
      return `The answer is not valid JSON: ${detail}`;
    }
    const result = answerEnvelopeSchema.safeParse(value, { reportInput: true });
    return result.success
      ? null
      : `The answer has the wrong shape: ${formatSchemaIssues(result.error)}`;
  }
}
