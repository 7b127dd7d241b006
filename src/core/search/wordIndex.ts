/** A separator between two fields in a slot's word sequence: no phrase runs across it. */
const FIELD_BREAK = -1;

/**
 * The indexed memories' words as numbers, and where each occurs. A word is looked up once per
 * occurrence when a memory is added; everything after works on numbers, which costs a fraction of
 * keeping maps and strings per memory.
 *
 * - BM25 postings per word: the slots whose BM25 fields hold it and how often, in slot order, and
 *   how many live slots hold it.
 * - Field postings per word: the slots whose any field holds it (the structured route's words).
 * - Per slot, its fields' words in order with a break between fields, in one pool: phrases and
 *   places are matched on it (whole words, in order, within one field).
 */
export class WordIndex {
  private readonly ids = new Map<string, number>();
  postingSlots: number[][] = [];
  postingCounts: number[][] = [];
  frequency: number[] = [];
  fieldSlots: number[][] = [];
  private pool = new Int32Array(4096);
  private poolLength = 0;
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** Per word, the last slot that counted it, and its count there (no map per memory). */
  private seenBy = new Int32Array(256).fill(-1);
  private countIn = new Int32Array(256);
  private listedBy = new Int32Array(256).fill(-1);

  idOf(word: string): number | undefined {
    return this.ids.get(word);
  }

  private intern(word: string): number {
    let id = this.ids.get(word);
    if (id !== undefined) return id;
    id = this.ids.size;
    this.ids.set(word, id);
    this.postingSlots.push([]);
    this.postingCounts.push([]);
    this.frequency.push(0);
    this.fieldSlots.push([]);
    if (id >= this.seenBy.length) {
      const grow = (old: Int32Array, fill: number) => {
        const fresh = new Int32Array(old.length * 2).fill(fill);
        fresh.set(old);
        return fresh;
      };
      this.seenBy = grow(this.seenBy, -1);
      this.countIn = grow(this.countIn, 0);
      this.listedBy = grow(this.listedBy, -1);
    }
    return id;
  }

  private append(id: number): void {
    if (this.poolLength === this.pool.length) {
      const pool = new Int32Array(this.pool.length * 2);
      pool.set(this.pool);
      this.pool = pool;
    }
    this.pool[this.poolLength++] = id;
  }

  /**
   * Indexes slot `slot` (the next one): `fields` are its fields' words, `bm25` says which fields
   * BM25 reads. Returns the BM25 length (words in those fields).
   */
  add(slot: number, fields: readonly (readonly string[])[], bm25: readonly boolean[]): number {
    this.starts[slot] = this.poolLength;
    const counted: number[] = [];
    let length = 0;
    for (let field = 0; field < fields.length; field++) {
      if (field > 0) this.append(FIELD_BREAK);
      const words = fields[field]!;
      const counts = bm25[field]!;
      if (counts) length += words.length;
      for (let i = 0; i < words.length; i++) {
        const id = this.intern(words[i]!);
        this.append(id);
        if (this.listedBy[id] !== slot) {
          this.listedBy[id] = slot;
          this.fieldSlots[id]!.push(slot);
        }
        if (!counts) continue;
        if (this.seenBy[id] === slot) {
          this.countIn[id]! += 1;
        } else {
          this.seenBy[id] = slot;
          this.countIn[id] = 1;
          counted.push(id);
        }
      }
    }
    this.ends[slot] = this.poolLength;
    for (const id of counted) {
      this.postingSlots[id]!.push(slot);
      this.postingCounts[id]!.push(this.countIn[id]!);
      this.frequency[id]! += 1;
    }
    return length;
  }

  /** Stops counting a removed slot's BM25 words; its postings stay, skipped as dead. */
  remove(slot: number, bm25: readonly boolean[]): void {
    const removed = new Set<number>();
    let field = 0;
    for (let at = this.starts[slot]!; at < this.ends[slot]!; at++) {
      const id = this.pool[at]!;
      if (id === FIELD_BREAK) field += 1;
      else if (bm25[field]) removed.add(id);
    }
    for (const id of removed) this.frequency[id]! -= 1;
  }

  /** Whether the slot's fields hold `words` (ids) in a row within one field. */
  holdsRun(slot: number, words: readonly number[]): boolean {
    const end = this.ends[slot]! - words.length;
    for (let at = this.starts[slot]!; at <= end; at++) {
      let k = 0;
      while (k < words.length && this.pool[at + k] === words[k]) k += 1;
      if (k === words.length) return true;
    }
    return false;
  }
}
