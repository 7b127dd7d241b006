/**
 * Every slot's place in memory-id order (ascending, by UTF-16 code units, as `<` compares
 * strings), so that routes break ties between equal scores with one number comparison instead of
 * a string comparison: a question matching most memories by type and time has tens of thousands
 * of ties. Slots added since the last question are placed when ranks are next asked for: all of
 * them sorted at once when they are many, else each found by binary search and merged in. Removed
 * slots keep their place (they are never ranked), so removing costs nothing here.
 */
export class IdOrder {
  /** Slots in id order. */
  private sorted: number[] = [];
  private pending: number[] = [];
  private rank = new Int32Array(16);

  added(slot: number): void {
    this.pending.push(slot);
  }

  /** Rank per slot, valid for every slot added so far. */
  ranks(ids: readonly string[]): Int32Array {
    if (this.pending.length === 0) return this.rank;
    const byId = (a: number, b: number) => {
      const left = ids[a]!;
      const right = ids[b]!;
      return left < right ? -1 : left > right ? 1 : 0;
    };
    const fresh = this.pending.sort(byId);
    this.pending = [];
    this.sorted =
      fresh.length * 8 > this.sorted.length
        ? [...this.sorted, ...fresh].sort(byId)
        : merged(this.sorted, fresh, ids);
    if (this.rank.length < ids.length)
      this.rank = new Int32Array(Math.max(ids.length, this.rank.length * 2));
    this.sorted.forEach((slot, place) => (this.rank[slot] = place));
    return this.rank;
  }
}

/** `sorted` with `fresh` (sorted too, and few) placed by binary search. */
function merged(
  sorted: readonly number[],
  fresh: readonly number[],
  ids: readonly string[],
): number[] {
  const out: number[] = [];
  let from = 0;
  for (const slot of fresh) {
    const id = ids[slot]!;
    let low = from;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (ids[sorted[middle]!]! < id) low = middle + 1;
      else high = middle;
    }
    for (; from < low; from++) out.push(sorted[from]!);
    out.push(slot);
  }
  for (; from < sorted.length; from++) out.push(sorted[from]!);
  return out;
}
