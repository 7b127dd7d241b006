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
  const message = error instanceof Error ? error.message : String(error);
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

/**
 * Parses a whole document as JSON; failing that, as JSON Lines when its first line is a complete
 * JSON value on its own (a bad later line is reported, not fatal: one bad record is a warning).
 */
export function parseJsonInput(text: string): JsonInput {
  try {
    return { kind: 'json', value: JSON.parse(text) };
  } catch (error) {
    const wholeError = describeJsonSyntaxError(error, text);
    const rawLines = text.split('\n');
    const lines: { line: number; value: unknown }[] = [];
    const badLines: { line: number; reason: string }[] = [];
    rawLines.forEach((raw, index) => {
      const trimmed = raw.trim();
      if (trimmed === '') return;
      try {
        lines.push({ line: index + 1, value: JSON.parse(trimmed) });
      } catch (lineError) {
        // Within one line, "line 1" says nothing: keep only the column.
        const reason = describeJsonSyntaxError(lineError, trimmed)
          .replace(/ at line 1, column (\d+)/, ' at column $1')
          .replace(/ at line 1$/, '');
        badLines.push({ line: index + 1, reason });
      }
    });
    const firstContentLine = rawLines.findIndex((raw) => raw.trim() !== '') + 1;
    const isJsonLines =
      lines.length >= 1 &&
      lines.length + badLines.length >= 2 &&
      lines[0]!.line === firstContentLine &&
      lines.every((entry) => typeof entry.value === 'object' && entry.value !== null) &&
      startsLikeJson(rawLines[firstContentLine - 1]!.trim());
    if (isJsonLines) return { kind: 'jsonl', lines, badLines };
    return { kind: 'invalid', reason: wholeError };
  }
}
