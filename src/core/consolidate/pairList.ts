import { grownArray } from '../grownArray';

/** A growing list of pairs of positions with a score each, in typed arrays. */
export class PairList {
  older = new Int32Array(1024);
  newer = new Int32Array(1024);
  score = new Float64Array(1024);
  length = 0;

  push(older: number, newer: number, score: number): void {
    if (this.length === this.older.length) this.grow();
    this.older[this.length] = older;
    this.newer[this.length] = newer;
    this.score[this.length] = score;
    this.length += 1;
  }

  private grow(): void {
    const size = this.older.length * 2;
    this.older = grownArray(this.older, size);
    this.newer = grownArray(this.newer, size);
    this.score = grownArray(this.score, size);
  }
}
