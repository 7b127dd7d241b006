import type {
  CandidatePair,
  ConsolidationMemory,
  Detection,
  RuleKind,
} from '../../core/consolidate';

const rules: readonly (RuleKind | null)[] = [null, 'exact', 'near-exact'];

/**
 * A detection as the worker sends it: the pairs in typed arrays (positions in the memories the
 * page sent, which the page still holds), transferred. Cloning 680,000 pair objects would cost the
 * page seconds to read back — the time the worker is there to save.
 */
export interface PackedDetection extends Omit<Detection, 'pairs'> {
  older: Int32Array;
  newer: Int32Array;
  jaccard: Float64Array;
  similarity: Float64Array;
  /** Index in `rules` (0: no rule). */
  rule8: Uint8Array;
}

const codeOf = <T>(codes: readonly T[], value: T): number => {
  const code = codes.indexOf(value);
  if (code === -1) throw new Error(`cannot pack ${String(value)}`);
  return code;
};

export function packDetection(
  detection: Detection,
  memories: readonly ConsolidationMemory[],
): { packed: PackedDetection; transfer: ArrayBuffer[] } {
  const { pairs, ...rest } = detection;
  const position = new Map(memories.map((memory, index) => [memory.id, index]));
  const positionOf = (id: string) => {
    const found = position.get(id);
    if (found === undefined) throw new Error(`a pair names ${id}, which is not a memory`);
    return found;
  };
  const packed: PackedDetection = {
    ...rest,
    older: new Int32Array(pairs.length),
    newer: new Int32Array(pairs.length),
    jaccard: new Float64Array(pairs.length),
    similarity: new Float64Array(pairs.length),
    rule8: new Uint8Array(pairs.length),
  };
  pairs.forEach((pair, index) => {
    packed.older[index] = positionOf(pair.older);
    packed.newer[index] = positionOf(pair.newer);
    packed.jaccard[index] = pair.jaccard;
    packed.similarity[index] = pair.similarity;
    // Every pair is measured the detection's way, which travels once.
    if (pair.method !== detection.method) throw new Error(`cannot pack ${pair.method}`);
    packed.rule8[index] = codeOf(rules, pair.rule);
  });
  const { older, newer, jaccard, similarity, rule8 } = packed;
  const transfer = [older, newer, jaccard, similarity, rule8].map(
    (array) => array.buffer as ArrayBuffer,
  );
  return { packed, transfer };
}

/** The detection again, its pairs naming `memories` (the array the page sent) by id. */
export function unpackDetection(
  packed: PackedDetection,
  memories: readonly ConsolidationMemory[],
): Detection {
  const { older, newer, jaccard, similarity, rule8, ...rest } = packed;
  const pairs: CandidatePair[] = new Array<CandidatePair>(older.length);
  for (let index = 0; index < older.length; index++) {
    pairs[index] = {
      older: memories[older[index]!]!.id,
      newer: memories[newer[index]!]!.id,
      jaccard: jaccard[index]!,
      similarity: similarity[index]!,
      method: rest.method,
      rule: rules[rule8[index]!]!,
    };
  }
  return { ...rest, pairs };
}
