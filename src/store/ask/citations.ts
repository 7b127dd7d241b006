/** A piece of an answer: plain text, or a citation of the memory numbered `number`. */
export type AnswerSegment =
  { kind: 'text'; text: string } | { kind: 'citation'; number: number; memoryId: string | null };

/** `[2]`, `[1, 3]`, `[1;3]`: the forms `parseAnswerText` counts as citations. */
const citationGroup = /\[(\d+(?:\s*[,;]\s*\d+)*)\]/g;

/**
 * Splits an answer into text and citations, each citation resolved to the memory it names
 * (`memoryIds[n - 1]`, the order the memories were given in). A number that names no memory keeps
 * `memoryId: null`, so it is shown as such instead of silently dropped. Works on a partial answer
 * while it streams: an unclosed `[1` stays text until its `]` arrives.
 */
export function answerSegments(text: string, memoryIds: readonly string[]): AnswerSegment[] {
  const segments: AnswerSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(citationGroup)) {
    if (match.index > last) segments.push({ kind: 'text', text: text.slice(last, match.index) });
    for (const part of match[1]!.split(/[,;]/)) {
      const number = Number(part.trim());
      segments.push({ kind: 'citation', number, memoryId: memoryIds[number - 1] ?? null });
    }
    last = match.index + match[0].length;
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) });
  return segments;
}
