import { toIsoMillis } from '../../core/time/localTime';
import type { MemoryRecord } from '../db/records';

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Makes text read as written in Markdown: HTML characters become entities (so no renderer can
 * see a tag) and formatting, link and list characters are backslash-escaped.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[&<>]/g, (char) => entities[char] ?? char)
    .replace(/[\\`*_{}[\]()#+\-.!|~]/g, '\\$&')
    .replace(/\r?\n/g, ' ');
}

/**
 * A readable document: one section per conversation, one list item per memory with its
 * dimensions. Model and chat text is escaped so it reads as written.
 */
export function memoriesToMarkdown(
  memories: readonly MemoryRecord[],
  titles: ReadonlyMap<string, string> = new Map(),
): string {
  const byConversation = new Map<string, MemoryRecord[]>();
  for (const memory of memories) {
    const list = byConversation.get(memory.conversationId) ?? [];
    list.push(memory);
    byConversation.set(memory.conversationId, list);
  }
  const lines = ['# DimMem memories', '', `${memories.length} memories.`];
  for (const [conversationId, list] of byConversation) {
    lines.push('', `## ${escapeMarkdown(titles.get(conversationId) ?? conversationId)}`, '');
    const ordered = [...list].sort((a, b) => a.messageTimestamp - b.messageTimestamp);
    for (const memory of ordered) {
      lines.push(`- **${memory.memoryType}** ${escapeMarkdown(memory.content)}`);
      if (memory.origin === 'recorded') {
        lines.push('  - Origin: recorded answer (demo), not extracted by a model run');
      }
      const details: [string, string][] = [
        ['Time', memory.time],
        ['Location', memory.location],
        ['Reason', memory.reason],
        ['Purpose', memory.purpose],
        ['Keywords', memory.keywords.join(', ')],
        ['Message', `${toIsoMillis(memory.messageTimestamp)}: ${memory.messageText}`],
      ];
      for (const [label, value] of details) {
        if (value !== '') lines.push(`  - ${label}: ${escapeMarkdown(value)}`);
      }
      if (memory.edited) lines.push('  - Edited by hand');
    }
  }
  return lines.join('\n') + '\n';
}
