/** A slot with its score in one route. */
export interface Scored {
  slot: number;
  score: number;
}

/**
 * Keeps the best `k` by score, ties broken by memory id (ascending, by UTF-16 code units, the
 * same in every JavaScript runtime) so that the CLI and the app list equal scores in one order.
 * The ids' order comes as each slot's rank in it (`IdOrder`).
 */
export class TopRanked {
  private readonly items: Scored[] = [];

  constructor(
    private readonly k: number,
    private readonly idRanks: Int32Array,
  ) {}

  private better(slot: number, score: number, than: Scored): boolean {
    if (score !== than.score) return score > than.score;
    return this.idRanks[slot]! < this.idRanks[than.slot]!;
  }

  offer(slot: number, score: number): void {
    const items = this.items;
    if (this.k <= 0 || Number.isNaN(score)) return;
    if (items.length === this.k && !this.better(slot, score, items[items.length - 1]!)) return;
    let at = items.length;
    while (at > 0 && this.better(slot, score, items[at - 1]!)) at -= 1;
    items.splice(at, 0, { slot, score });
    if (items.length > this.k) items.pop();
  }

  /** Best first. */
  result(): Scored[] {
    return this.items;
  }
}
