/**
 * A synthetic ChatGPT `conversations.json` with the shape of a real export: a message tree per
 * conversation (root node, hidden system message, user/assistant turns with ChatGPT's metadata),
 * `current_node`, and the top-level keys ChatGPT writes. Deterministic, so every run measures the
 * same bytes. Used by the benchmark and the browser tests; nothing here reads real chats.
 */
import { seededRandom } from '../../src/core/seededRandom';

const words = (
  'the a to and of I my for in is it on with that this be we can you have was are at so do ' +
  'what how about trip Rome running garden sister birthday recipe pasta budget laptop python ' +
  'meeting tomorrow weekend plan book flight hotel museum dinner train doctor knee stretch ' +
  'interview resume salary apartment rent move cat vet vaccine guitar lesson chord practice'
).split(' ');

function sentence(random: () => number, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(words[Math.floor(random() * words.length)]!);
  const text = out.join(' ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

export const hex = (random: () => number, length: number) =>
  Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
export const uuid = (random: () => number) =>
  `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-a${hex(random, 3)}-${hex(random, 12)}`;

export interface ChatGptExportShape {
  conversations: number;
  /** User turns per conversation (each answered by the assistant). */
  userTurns: number;
  /** Words per user message; the assistant answers with three times as many. */
  userWords: number;
  seed?: number;
}

/** The shape of the issue's 53 MB export: 2,500 conversations, 30,000 user messages. */
export const issueExportShape: ChatGptExportShape = {
  conversations: 2500,
  userTurns: 12,
  userWords: 40,
};

/** One message of a synthetic conversation, in order: a hidden system message, then the turns. */
export interface ChatGptNode {
  id: string;
  role: 'system' | 'user' | 'assistant';
  text: string;
  /** Unix seconds. */
  time: number;
}

/**
 * A conversation's `mapping` as ChatGPT exports it: the root node, then `nodes` as one chain, each
 * message with ChatGPT's per-role metadata (request ids drawn from `random`).
 */
export function chatGptMapping(
  random: () => number,
  rootId: string,
  nodes: readonly ChatGptNode[],
): Record<string, object> {
  const mapping: Record<string, object> = {
    [rootId]: { id: rootId, message: null, parent: null, children: [nodes[0]!.id] },
  };
  nodes.forEach((node, n) => {
    const hidden = node.role === 'system';
    const parent = n === 0 ? rootId : nodes[n - 1]!.id;
    mapping[node.id] = {
      id: node.id,
      message: {
        id: node.id,
        author: { role: node.role, name: null, metadata: {} },
        create_time: hidden ? null : node.time + 0.123456,
        update_time: null,
        content: { content_type: 'text', parts: [node.text] },
        status: 'finished_successfully',
        end_turn: node.role === 'assistant' ? true : null,
        weight: hidden ? 0 : 1,
        metadata: hidden
          ? { is_visually_hidden_from_conversation: true }
          : node.role === 'user'
            ? { request_id: hex(random, 16), message_source: null, timestamp_: 'absolute' }
            : {
                finish_details: { type: 'stop', stop_tokens: [200002] },
                citations: [],
                content_references: [],
                model_slug: 'gpt-4o',
                default_model_slug: 'gpt-4o',
                parent_id: parent,
                request_id: hex(random, 16),
                timestamp_: 'absolute',
              },
        recipient: 'all',
        channel: null,
      },
      parent,
      children: n + 1 < nodes.length ? [nodes[n + 1]!.id] : [],
    };
  });
  return mapping;
}

/** One conversation object as ChatGPT exports it. */
function conversation(random: () => number, index: number, shape: ChatGptExportShape): object {
  const start = 1_650_000_000 + index * 3600 * 7;
  const conversationId = uuid(random);
  const rootId = uuid(random);
  const systemId = uuid(random);
  const nodes: ChatGptNode[] = [{ id: systemId, role: 'system', text: '', time: start }];
  for (let turn = 0; turn < shape.userTurns; turn++) {
    const time = start + turn * 90;
    nodes.push({
      id: uuid(random),
      role: 'user',
      text: sentence(random, shape.userWords),
      time,
    });
    nodes.push({
      id: uuid(random),
      role: 'assistant',
      text: sentence(random, shape.userWords * 3),
      time: time + 20,
    });
  }
  const mapping = chatGptMapping(random, rootId, nodes);
  return {
    title: `${sentence(random, 4).slice(0, -1)} ${index + 1}`,
    create_time: start + 0.5,
    update_time: start + shape.userTurns * 90 + 60.25,
    mapping,
    moderation_results: [],
    current_node: nodes.at(-1)!.id,
    plugin_ids: null,
    conversation_id: conversationId,
    conversation_template_id: null,
    gizmo_id: null,
    gizmo_type: null,
    is_archived: false,
    is_starred: null,
    safe_urls: [],
    blocked_urls: [],
    default_model_slug: 'gpt-4o',
    conversation_origin: null,
    voice: null,
    async_status: null,
    disabled_tool_ids: [],
    id: conversationId,
  };
}

/** The export's text, built one conversation at a time (as ChatGPT writes it: one JSON array). */
export function* chatGptExportParts(shape: ChatGptExportShape): Generator<string> {
  const random = seededRandom(shape.seed ?? 7);
  yield '[';
  for (let i = 0; i < shape.conversations; i++) {
    yield (i === 0 ? '' : ', ') + JSON.stringify(conversation(random, i, shape));
  }
  yield ']';
}

/** The whole export as one string (for sizes that fit comfortably in memory). */
export function chatGptExportText(shape: ChatGptExportShape): string {
  return [...chatGptExportParts(shape)].join('');
}

/** The shape whose export is about `megabytes` MB, keeping the issue's proportions. */
export function shapeOfSize(megabytes: number): ChatGptExportShape {
  const sample = chatGptExportText({ ...issueExportShape, conversations: 20 }).length / 20;
  return {
    ...issueExportShape,
    conversations: Math.max(1, Math.round((megabytes * 1024 * 1024) / sample)),
  };
}
