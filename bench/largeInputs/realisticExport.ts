/**
 * A synthetic ChatGPT `conversations.json` of a chosen size, with the shape of a real export (a
 * message tree per conversation, ChatGPT's metadata, `current_node`) and real conversational text:
 * the turns of the LoCoMo fixtures, drawn in a fixed pseudo-random order. Real words matter here:
 * token counting remembers the pieces it has seen, so a tiny made-up vocabulary would flatter it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { seededRandom } from '../../src/core/seededRandom';
import type { ChatGptNode } from '../lib/chatgptExport';
import { chatGptMapping, uuid as randomUuid } from '../lib/chatgptExport';
import { fixtureData } from '../lib/paths';

/** Every LoCoMo turn's text, in file order. */
function locomoTurns(): string[] {
  const dir = path.join(fixtureData, 'locomo');
  const turns: string[] = [];
  for (const name of readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()) {
    const data = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as Record<string, unknown>;
    for (const value of Object.values(data)) {
      if (!Array.isArray(value)) continue;
      for (const turn of value as { text?: unknown }[]) {
        if (typeof turn.text === 'string' && turn.text.trim() !== '') turns.push(turn.text);
      }
    }
  }
  return turns;
}

export interface RealisticExport {
  /** The file's bytes, UTF-8 JSON. */
  bytes: Uint8Array;
  conversations: number;
  userMessages: number;
}

/**
 * About `targetBytes` of export: conversations of 4–20 user turns, each user message one to three
 * LoCoMo turns, each answer three to six, with ChatGPT's per-node metadata around them.
 */
export function realisticExport(targetBytes: number, seed = 1): RealisticExport {
  const turns = locomoTurns();
  // The same seed gives the same export, so every run measures the same bytes.
  const random = seededRandom(seed);
  const pick = (count: number) =>
    Array.from({ length: count }, () => turns[Math.floor(random() * turns.length)]!).join(' ');
  const uuid = () => randomUuid(random);

  const parts: string[] = [];
  let size = 2;
  let conversations = 0;
  let userMessages = 0;
  while (size < targetBytes) {
    const start = 1_650_000_000 + conversations * 25_200;
    const rootId = uuid();
    const userTurns = 4 + Math.floor(random() * 17);
    const nodes: ChatGptNode[] = [{ id: uuid(), role: 'system', text: '', time: start }];
    for (let turn = 0; turn < userTurns; turn++) {
      const time = start + turn * 90;
      nodes.push({ id: uuid(), role: 'user', text: pick(1 + Math.floor(random() * 3)), time });
      nodes.push({
        id: uuid(),
        role: 'assistant',
        text: pick(3 + Math.floor(random() * 4)),
        time: time + 20,
      });
    }
    const mapping = chatGptMapping(random, rootId, nodes);
    const conversationId = uuid();
    const text = JSON.stringify({
      title: pick(1).slice(0, 40),
      create_time: start + 0.5,
      update_time: start + userTurns * 90 + 30,
      mapping,
      moderation_results: [],
      current_node: nodes.at(-1)!.id,
      plugin_ids: null,
      conversation_id: conversationId,
      conversation_template_id: null,
      gizmo_id: null,
      is_archived: false,
      safe_urls: [],
      default_model_slug: 'gpt-4o',
      id: conversationId,
    });
    parts.push(text);
    size += Buffer.byteLength(text) + 2;
    conversations += 1;
    userMessages += userTurns;
  }
  return {
    bytes: new TextEncoder().encode(`[${parts.join(',\n')}]`),
    conversations,
    userMessages,
  };
}
