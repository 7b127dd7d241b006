/**
 * Finds where the answer's JSON object starts, skipping what a model may write before it: a
 * `<think>…</think>` block, a code fence (```` ```json ````) or a line of prose. Incremental: it is
 * called with the whole text so far on every token and never rescans what it has passed.
 */
export class JsonStartFinder {
  private cursor = 0;
  /** Set while inside a think block: where to resume looking for its end. */
  private thinkSearchFrom: number | null = null;

  /** Index of the root `{` in `text` before `end`, or null while it has not arrived yet. */
  find(text: string, end = text.length): number | null {
    while (this.cursor < end) {
      if (this.thinkSearchFrom !== null) {
        const close = text.indexOf(THINK_CLOSE, this.thinkSearchFrom);
        if (close === -1 || close + THINK_CLOSE.length > end) {
          // The closing tag may be arriving in pieces: look again from just before the end.
          this.thinkSearchFrom = Math.max(this.thinkSearchFrom, end - THINK_CLOSE.length + 1);
          return null;
        }
        this.cursor = close + THINK_CLOSE.length;
        this.thinkSearchFrom = null;
        continue;
      }
      const char = text[this.cursor];
      if (char === '{') return this.cursor;
      if (char === '<') {
        const rest = text.slice(this.cursor, Math.min(end, this.cursor + THINK_OPEN.length));
        if (rest === THINK_OPEN) {
          this.thinkSearchFrom = this.cursor + THINK_OPEN.length;
          continue;
        }
        // `<thi` at the end of the text so far: wait for the rest of the tag.
        if (THINK_OPEN.startsWith(rest)) return null;
      }
      this.cursor += 1;
    }
    return null;
  }

  /** True when the text so far ends inside a think block. */
  get insideThinkBlock(): boolean {
    return this.thinkSearchFrom !== null;
  }
}

const THINK_OPEN = '<think>';
const THINK_CLOSE = '</think>';
