import { toPythonIsoformat } from '../time/localTime';
import { keywordSet } from './keywords';
import type { ConsolidationMemory } from './types';

/**
 * The reference pipeline's consolidation prompt, `DIMMEM_PROMPT` of ChowRunFa/DimMem
 * (`longmemeval/update/consolidate.py`, commit eb755de), word for word: the decision model is asked
 * exactly what the paper's update step asked. Memory A is the newer memory, B the older one.
 */
export const consolidationPromptTemplate = `You are a memory consolidation assistant with access to dimensional metadata. Given two potentially redundant or conflicting memories, decide how to update them using the type-specific rules.

Memory A (newer, recorded at {source_time_new}):
  Content: {content_new}
  Type: {type_new}
  Time: {time_new}
  Keywords: {keywords_new}
  Reason: {reason_new}
  Purpose: {purpose_new}

Memory B (older, recorded at {source_time_old}):
  Content: {content_old}
  Type: {type_old}
  Time: {time_old}
  Keywords: {keywords_old}
  Reason: {reason_old}
  Purpose: {purpose_old}

Type-specific consolidation rules:
- fact: If both describe the same fact but values differ, SUPERSEDE with the newer one (Memory A). If they complement each other, MERGE.
- episodic: If both describe the exact same event/action, MERGE into one description. If they are different events (different times/contexts), KEEP_BOTH.
- profile: If both describe the same preference/habit/style, MERGE into a comprehensive description. If different aspects, KEEP_BOTH.

Note: Memory A is newer and takes precedence when there are conflicts.

Output strictly valid JSON with no other text:
{"decision": "MERGE|SUPERSEDE|KEEP_BOTH", "merged_content": "consolidated memory text if MERGE or SUPERSEDE, empty if KEEP_BOTH", "merged_dimension": {"memory_type": "...", "time": "...", "keywords": [...], "reason": "...", "purpose": "..."}, "reasoning": "brief explanation"}`;

type PromptMemory = Pick<
  ConsolidationMemory,
  'content' | 'memoryType' | 'time' | 'keywords' | 'reason' | 'purpose' | 'messageTimestamp'
>;

/**
 * The prompt for one pair, filled as the reference fills it: the source time is the message's
 * (Python isoformat), `Time` is the memory's time or else its source time, keywords lower-cased,
 * each once, sorted and joined by ", " (as `detect.py` hands them over). Placeholders are replaced in one pass, so a memory's text containing `{content_old}` stays
 * as written.
 */
export function buildConsolidationPrompt(newer: PromptMemory, older: PromptMemory): string {
  const fields = (memory: PromptMemory) => {
    const sourceTime = toPythonIsoformat(memory.messageTimestamp);
    return {
      source_time: sourceTime,
      content: memory.content.trim(),
      type: memory.memoryType,
      time: memory.time.trim() || sourceTime,
      keywords: keywordSet(memory.keywords).sort().join(', '),
      reason: memory.reason.trim(),
      purpose: memory.purpose.trim(),
    };
  };
  const values = { new: fields(newer), old: fields(older) };
  return consolidationPromptTemplate.replace(
    /\{(source_time|content|type|time|keywords|reason|purpose)_(new|old)\}/g,
    (_, field: keyof ReturnType<typeof fields>, side: 'new' | 'old') => values[side][field],
  );
}
