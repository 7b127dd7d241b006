import { keywordSet } from './keywords';
import { memoryOwner } from './memoryOwner';
import { compareSourceTime } from './sourceOrder';
import type { ConsolidationMemory, RuleKind } from './types';

/** Same text once spacing and Unicode forms are set aside: what "exact duplicate" compares. */
export const exactText = (content: string): string =>
  content.normalize('NFKC').trim().replace(/\s+/g, ' ');

/** Only the letters and digits, lower-cased: texts differing only in case, punctuation or spacing. */
export const looseText = (content: string): string =>
  content
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '');

/** Memories merged by rule into one; `members` older first, so the last is the newest. */
export interface RuleGroup {
  kind: RuleKind;
  members: string[];
}

/**
 * Groups that need no model: exact duplicates (same person, same type, same text) and near-exact
 * ones (same person, type and keywords; text differing only in case, punctuation or whitespace).
 * Episodic memories must also have the same days. Locked (edited or pinned) memories are never
 * merged automatically. A memory in both kinds of
 * relation joins one group; the group is `exact` only when all its texts are the same.
 */
export function ruleGroups(memories: readonly ConsolidationMemory[]): RuleGroup[] {
  const parent = memories.map((_, position) => position);
  const find = (position: number): number => {
    while (parent[position] !== position) {
      parent[position] = parent[parent[position]!]!;
      position = parent[position]!;
    }
    return position;
  };
  const join = (keys: Map<string, number>, key: string, position: number) => {
    const first = keys.get(key);
    if (first === undefined) keys.set(key, position);
    else parent[find(position)] = find(first);
  };
  const exactKeys = new Map<string, number>();
  const looseKeys = new Map<string, number>();
  memories.forEach((memory, position) => {
    if (memory.locked) return;
    // An episode is also its days: the same words on other days are another episode.
    const days = memory.memoryType === 'episodic' ? `${memory.timeStart}/${memory.timeEnd}` : '';
    const who = `${memoryOwner(memory.conversationId)}\u0000${memory.memoryType}\u0000${days}`;
    join(exactKeys, `${who}\u0000${exactText(memory.content)}`, position);
    const keywords = keywordSet(memory.keywords).sort().join('\u0001');
    join(looseKeys, `${who}\u0000${keywords}\u0000${looseText(memory.content)}`, position);
  });
  const groups = new Map<number, ConsolidationMemory[]>();
  memories.forEach((memory, position) => {
    if (memory.locked) return;
    const root = find(position);
    let group = groups.get(root);
    if (!group) groups.set(root, (group = []));
    group.push(memory);
  });
  const result: RuleGroup[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    group.sort(compareSourceTime);
    const text = exactText(group[0]!.content);
    result.push({
      kind: group.every((memory) => exactText(memory.content) === text) ? 'exact' : 'near-exact',
      members: group.map((memory) => memory.id),
    });
  }
  return result.sort((a, b) => (a.members[0]! < b.members[0]! ? -1 : 1));
}
