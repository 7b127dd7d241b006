import { keywordSet } from './keywords';
import type { NumberedKeywords } from './keywordNumbers';
import { numberKeywords } from './keywordNumbers';
import type { MemoryColumns } from './memoryColumns';
import { memoryColumns, sortBySourceTime } from './memoryColumns';
import { memoryOwner } from './memoryOwner';
import { exactText, looseText } from './ruleTexts';
import { hashText, ruleTextHashes } from './textHash';
import type { ConsolidationMemory, RuleKind } from './types';

export { exactText, looseText } from './ruleTexts';

/** Memories merged by rule into one; `members` older first, so the last is the newest. */
export interface RuleGroup {
  kind: RuleKind;
  members: string[];
}

/** A rule group by positions in the input, as detection reads it. */
export interface RuleGroupPositions {
  kind: RuleKind;
  members: number[];
}

/**
 * Groups that need no model: exact duplicates (same person, same type, same text) and near-exact
 * ones (same person, type and keywords; text differing only in case, punctuation or whitespace).
 * Episodic memories must also have the same days. Locked (edited or pinned) memories are never
 * merged automatically. A memory in both kinds of
 * relation joins one group; the group is `exact` only when all its texts are the same.
 */
export function ruleGroups(memories: readonly ConsolidationMemory[]): RuleGroup[] {
  return ruleGroupPositions(memories, memoryColumns(memories), numberKeywords(memories)).map(
    ({ kind, members }) => ({
      kind,
      members: members.map((position) => memories[position]!.id),
    }),
  );
}

/**
 * `ruleGroups` by positions; groups in order of their oldest member's id. Each memory's two keys
 * are hashed first, without building them; only memories whose hash another shares have their
 * keys built and compared, so a table of 100,000 distinct memories makes no key strings at all.
 */
export function ruleGroupPositions(
  memories: readonly ConsolidationMemory[],
  columns: MemoryColumns,
  keywords: NumberedKeywords,
): RuleGroupPositions[] {
  const parent = Int32Array.from(memories.keys());
  const find = (position: number): number => {
    while (parent[position] !== position) {
      parent[position] = parent[parent[position]!]!;
      position = parent[position]!;
    }
    return position;
  };
  const union = (a: number, b: number) => {
    parent[find(a)] = find(b);
  };
  const owners = new Map<string, string>();
  const ownerOf = (memory: ConsolidationMemory) => {
    let owner = owners.get(memory.conversationId);
    if (owner === undefined)
      owners.set(memory.conversationId, (owner = memoryOwner(memory.conversationId)));
    return owner;
  };
  // An episode is also its days: the same words on other days are another episode.
  const whoKey = (memory: ConsolidationMemory) => {
    const days = memory.memoryType === 'episodic' ? `${memory.timeStart}/${memory.timeEnd}` : '';
    return `${ownerOf(memory)}\u0000${memory.memoryType}\u0000${days}`;
  };
  const ownerHashes = new Map<string, number>();
  const ownerHash = (memory: ConsolidationMemory) => {
    let hash = ownerHashes.get(memory.conversationId);
    if (hash === undefined)
      ownerHashes.set(memory.conversationId, (hash = hashText(ownerOf(memory))));
    return hash;
  };
  const exact = new KeyedJoin();
  const loose = new KeyedJoin();
  const texts = { exact: 0, loose: 0 };
  const { locked } = columns;
  memories.forEach((memory, position) => {
    if (locked[position] === 1) return;
    let who = hashText(memory.memoryType, ownerHash(memory));
    if (memory.memoryType === 'episodic')
      who = mixNumber(mixNumber(who, memory.timeStart), memory.timeEnd);
    ruleTextHashes(memory.content, texts);
    exact.add(position, mix(who, texts.exact));
    loose.add(position, mix(mix(who, keywordSetHash(keywords, position)), texts.loose));
  });
  exact.join((position) => {
    const memory = memories[position]!;
    return `${whoKey(memory)}\u0000${exactText(memory.content)}`;
  }, union);
  loose.join((position) => {
    const memory = memories[position]!;
    const set = keywordSet(memory.keywords).sort().join('\u0001');
    return `${whoKey(memory)}\u0000${set}\u0000${looseText(memory.content)}`;
  }, union);
  return groupsOf(memories, columns, find);
}

/** The groups of two or more, each older first, as `ruleGroups` lists them. */
function groupsOf(
  memories: readonly ConsolidationMemory[],
  columns: MemoryColumns,
  find: (position: number) => number,
): RuleGroupPositions[] {
  const { locked } = columns;
  const size = new Int32Array(memories.length);
  for (let position = 0; position < memories.length; position++) {
    if (locked[position] === 1) continue;
    const root = find(position);
    size[root] = size[root]! + 1;
  }
  const groups = new Map<number, number[]>();
  for (let position = 0; position < memories.length; position++) {
    if (locked[position] === 1) continue;
    const root = find(position);
    if (size[root]! < 2) continue;
    let group = groups.get(root);
    if (!group) groups.set(root, (group = []));
    group.push(position);
  }
  const result: RuleGroupPositions[] = [];
  for (const positions of groups.values()) {
    const members = Array.from(sortBySourceTime(Int32Array.from(positions), columns));
    const text = exactText(memories[members[0]!]!.content);
    result.push({
      kind: members.every((position) => exactText(memories[position]!.content) === text)
        ? 'exact'
        : 'near-exact',
      members,
    });
  }
  const { idRank } = columns;
  return result.sort((a, b) => idRank[a.members[0]!]! - idRank[b.members[0]!]!);
}

/**
 * Joins positions whose keys are equal, looking at keys only where hashes meet: equal keys have
 * equal hashes, so a position whose hash no other has cannot share its key.
 */
class KeyedJoin {
  private readonly firstWithHash = new Map<number, number>();
  private readonly meeting: number[] = [];
  private readonly listed = new Set<number>();

  add(position: number, fullHash: number): void {
    // 30 bits: small integers, which a Map keys without allocating.
    const hash = fullHash & 0x3fffffff;
    const first = this.firstWithHash.get(hash);
    if (first === undefined) {
      this.firstWithHash.set(hash, position);
      return;
    }
    if (!this.listed.has(first)) {
      this.listed.add(first);
      this.meeting.push(first);
    }
    this.meeting.push(position);
  }

  join(keyOf: (position: number) => string, union: (a: number, b: number) => void): void {
    const firstWithKey = new Map<string, number>();
    for (const position of this.meeting) {
      const key = keyOf(position);
      const first = firstWithKey.get(key);
      if (first === undefined) firstWithKey.set(key, position);
      else union(position, first);
    }
  }
}

const mix = (hash: number, value: number) => Math.imul(hash ^ value, 0x01000193);

/** A number's hash (null and undefined apart): equal numbers, equal hashes. */
const mixNumber = (hash: number, value: number | null | undefined) =>
  value === null || value === undefined
    ? mix(hash, value === null ? 1 : 2)
    : mix(mix(hash, value | 0), (value / 4294967296) | 0);

/** The same for every order of the memory's keyword numbers, so equal sets hash alike. */
function keywordSetHash({ start, ids }: NumberedKeywords, position: number): number {
  let sum = 0;
  for (let k = start[position]!; k < start[position + 1]!; k++)
    sum = (sum + Math.imul(ids[k]! + 1, 0x9e3779b1)) | 0;
  return mix(sum, start[position + 1]! - start[position]!);
}
