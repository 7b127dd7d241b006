import { errorText } from '../errorText';

/** JSON or JSON Lines, with syntax errors described by line and column in any JS engine. */
export type JsonInput =
  | { kind: 'json'; value: unknown }
  | {
      kind: 'jsonl';
      lines: { line: number; value: unknown }[];
      badLines: { line: number; reason: string }[];
    }
  | { kind: 'invalid'; reason: string };

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < position && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: position - lineStart + 1 };
}

/**
 * JSON.parse messages differ by engine (V8: "… at position 12", Firefox: "… at line 2 column 5",
 * Safari: "Unexpected EOF"); this turns each into one readable sentence.
 */
export function describeJsonSyntaxError(error: unknown, text: string): string {
  const message = errorText(error);
  const end = text.trimEnd().length;
  const endLine = lineAndColumn(text, end).line;
  if (
    /unexpected end|end of data|unexpected eof|unterminated/i.test(message) &&
    !/position \d+/.test(message)
  ) {
    return `JSON ends unexpectedly at line ${endLine}`;
  }
  const detail = message
    .replace(/^JSON\.parse: /, '')
    .replace(/ (in|of the) JSON( data)?.*$/, '')
    .replace(/ at line \d+ column \d+.*$/, '');
  const atPosition = /position (\d+)/.exec(message);
  const atLine = /line (\d+) column (\d+)/.exec(message);
  if (atPosition) {
    const position = Number(atPosition[1]);
    if (position >= end) return `JSON ends unexpectedly at line ${endLine}`;
    const where = lineAndColumn(text, position);
    return `invalid JSON at line ${where.line}, column ${where.column}: ${detail}`;
  }
  if (atLine) return `invalid JSON at line ${atLine[1]}, column ${atLine[2]}: ${detail}`;
  return `invalid JSON: ${detail}`;
}

const startsLikeJson = (line: string) => line.startsWith('{') || line.startsWith('[');

/** What a JSON Lines line holds when it is not a record: `a number`, `a string`, `null` … */
const scalarName = (value: unknown) =>
  value === null ? 'null' : typeof value === 'number' ? 'a number' : `a ${typeof value}`;

/**
 * Parses a whole document as JSON; failing that, as JSON Lines: lines that are each an object or
 * a list. A bad line (cut off, or a bare number or string) is reported, not fatal: one bad record
 * is a warning. It is JSON Lines when its first line is JSON on its own, or, when that line is cut
 * off too, when lines that are records are at least as many as lines that are not JSON (a broken
 * pretty-printed document has few lines that stand alone, and keeps its own error).
 */
export function parseJsonInput(text: string): JsonInput {
  try {
    return { kind: 'json', value: JSON.parse(text) };
  } catch (error) {
    const wholeError = describeJsonSyntaxError(error, text);
    const rawLines = text.split('\n');
    const firstContentLine = rawLines.findIndex((raw) => raw.trim() !== '') + 1;
    const lines: { line: number; value: unknown }[] = [];
    const badLines: { line: number; reason: string }[] = [];
    let unparsed = 0;
    let firstParsed = true;
    rawLines.forEach((raw, index) => {
      const trimmed = raw.trim();
      if (trimmed === '') return;
      try {
        const value: unknown = JSON.parse(trimmed);
        if (typeof value === 'object' && value !== null) lines.push({ line: index + 1, value });
        else badLines.push({ line: index + 1, reason: `${scalarName(value)}, not a JSON object` });
      } catch (lineError) {
        unparsed += 1;
        if (index + 1 === firstContentLine) firstParsed = false;
        // Within one line, "line 1" says nothing: keep only the column.
        const reason = describeJsonSyntaxError(lineError, trimmed)
          .replace(/ at line 1, column (\d+)/, ' at column $1')
          .replace(/ at line 1$/, '');
        badLines.push({ line: index + 1, reason });
      }
    });
    const isJsonLines =
      lines.length >= 1 &&
      lines.length + badLines.length >= 2 &&
      startsLikeJson(rawLines[firstContentLine - 1]!.trim()) &&
      (firstParsed || lines.length >= unparsed);
    if (isJsonLines) return { kind: 'jsonl', lines, badLines };
    return { kind: 'invalid', reason: wholeError };
  }
}
