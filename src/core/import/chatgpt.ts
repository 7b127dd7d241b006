import { z } from 'zod';

import type { Role } from '../conversation';
import type { LocalTime } from '../time/localTime';
import { localTimeFromInstant } from '../time/localTime';
import { canvasDocument, isImageFile, withAttachments } from './attachmentNotes';
import { chatConversation, type ChatSource } from './chatConversation';
import type { DraftMessage } from './conversationBuilder';
import { epochMsOfExportTime } from './exportTimes';
import { ItemProblem } from './importError';
import type { JsonFormat } from './jsonFormat';
import { isRecord, parseWith } from './schemaIssue';
import { createAssumedStamper } from './stamping';

const messageSchema = z.object({
  id: z.string().optional(),
  author: z.object({ role: z.string(), name: z.string().nullish() }),
  create_time: z.number().nullish(),
  content: z
    .object({ content_type: z.string().optional(), parts: z.array(z.unknown()).nullish() })
    .nullish(),
  metadata: z
    .looseObject({
      is_visually_hidden_from_conversation: z.boolean().nullish(),
      attachments: z
        .array(z.looseObject({ name: z.string().nullish(), mime_type: z.string().nullish() }))
        .nullish(),
      // A document the user wrote in canvas: their words, kept outside `parts`.
      canvas: z
        .looseObject({
          user_created_textdocs: z
            .array(z.looseObject({ title: z.string().nullish(), content: z.string().nullish() }))
            .nullish(),
        })
        .nullish(),
    })
    .nullish(),
  recipient: z.string().nullish(),
});

const nodeSchema = z.object({
  message: messageSchema.nullish(),
  parent: z.string().nullish(),
  children: z.array(z.string()).nullish(),
});

const conversationSchema = z.object({
  id: z.string().nullish(),
  conversation_id: z.string().nullish(),
  title: z.string().nullish(),
  create_time: z.number().nullish(),
  mapping: z.record(z.string(), nodeSchema),
  current_node: z.string().nullish(),
});

type ChatGptNode = z.infer<typeof nodeSchema>;
type ChatGptMessage = z.infer<typeof messageSchema>;

/** Custom instructions ride along as hidden user messages; they are not things the user said. */
const HIDDEN_CONTENT_TYPES = new Set(['user_editable_context', 'model_editable_context']);

const roleOf = (message: ChatGptMessage): Role | null => {
  if (message.metadata?.is_visually_hidden_from_conversation) return null;
  if (HIDDEN_CONTENT_TYPES.has(message.content?.content_type ?? '')) return null;
  if (message.author.role === 'user') return 'user';
  // An assistant message addressed to a tool (`recipient: "python"`, browsing …) is a tool call.
  if (message.author.role === 'assistant' && (message.recipient ?? 'all') === 'all') {
    return 'assistant';
  }
  return null; // system, tool, and anything newer
};

/** What one message says: its text (typed or spoken) and what it carried besides. */
interface Said {
  text: string;
  /** Some of the words are voice mode's transcription. */
  spoken: boolean;
}

/**
 * The text of a message: string parts, and voice mode's transcriptions
 * (`{content_type: "audio_transcription", text, direction}` inside `multimodal_text`); then the
 * canvas documents the user wrote, and notes for uploaded files and images (./attachmentNotes).
 * Audio and video pointers carry no words.
 */
function saidIn(message: ChatGptMessage): Said {
  const texts: string[] = [];
  let spoken = false;
  let imageParts = 0;
  for (const part of message.content?.parts ?? []) {
    if (typeof part === 'string') {
      texts.push(part);
    } else if (isRecord(part) && part.content_type === 'audio_transcription') {
      if (typeof part.text === 'string' && part.text.trim() !== '') {
        texts.push(part.text);
        spoken = true;
      }
    } else if (isRecord(part) && part.content_type === 'image_asset_pointer') {
      imageParts += 1;
    }
  }
  const metadata = message.metadata;
  const documents = (metadata?.canvas?.user_created_textdocs ?? [])
    .filter((doc) => (doc.content ?? '').trim() !== '')
    .map((doc) => canvasDocument(doc.title ?? '', doc.content!));
  const attachments = metadata?.attachments ?? [];
  const files = attachments
    .filter((file) => file.name?.trim() && !isImageFile(file.name, file.mime_type))
    .map((file) => file.name!.trim());
  const imageFiles = attachments.filter((file) => isImageFile(file.name ?? '', file.mime_type));
  const images = Math.max(imageParts, imageFiles.length);
  const text = withAttachments(texts.join('\n'), { documents, files, images });
  return { text, spoken };
}

/** The leaf the user last saw: `current_node`, else the most recently created leaf. */
function lastLeaf(mapping: Record<string, ChatGptNode>): string | undefined {
  let best: { id: string; time: number } | undefined;
  for (const [id, node] of Object.entries(mapping)) {
    if ((node.children ?? []).length > 0) continue;
    const time = epochMsOfExportTime(node.message?.create_time) ?? 0;
    if (!best || time >= best.time) best = { id, time };
  }
  return best?.id;
}

/** From the leaf up to the root through `parent`, then reversed: the branch that was shown. */
function branchNodes(mapping: Record<string, ChatGptNode>, leaf: string): [string, ChatGptNode][] {
  const chain: [string, ChatGptNode][] = [];
  const seen = new Set<string>();
  let id: string | null | undefined = leaf;
  while (id && !seen.has(id)) {
    seen.add(id);
    const node: ChatGptNode | undefined = mapping[id];
    if (!node) break;
    chain.push([id, node]);
    id = node.parent;
  }
  return chain.reverse();
}

export const chatgptFormat: JsonFormat = {
  id: 'chatgpt-export',
  looksLike: (record) => isRecord(record) && isRecord(record.mapping),
  convert(record, _index, context) {
    const data = parseWith(conversationSchema, record, 'not a ChatGPT conversation');
    const { timeZone } = context.options;
    let leaf = data.current_node ?? undefined;
    if (!leaf || !data.mapping[leaf]) leaf = lastLeaf(data.mapping);
    if (!leaf) throw new ItemProblem('its message tree is empty');

    // Seconds or milliseconds; `0` or nonsense is no time (./exportTimes).
    const localTimeOf = (value: number | null | undefined): LocalTime | null => {
      const epochMs = epochMsOfExportTime(value);
      return epochMs === null ? null : localTimeFromInstant(epochMs, timeZone);
    };
    const conversationTime = localTimeOf(data.create_time);
    const assumed = createAssumedStamper(context.options);
    const drafts: DraftMessage[] = [];
    for (const [nodeId, node] of branchNodes(data.mapping, leaf)) {
      const message = node.message;
      if (!message) continue;
      const role = roleOf(message);
      const { text, spoken } = saidIn(message);
      if (!role || text === '') continue;
      const timestamp = localTimeOf(message.create_time) ?? conversationTime ?? assumed.stamp(role);
      drafts.push({
        role,
        speaker: role === 'user' ? 'User' : 'ChatGPT',
        text,
        timestamp,
        sourceRef: message.id ?? nodeId,
        ...(spoken ? { input: 'voice' as const } : {}),
      });
    }
    if (drafts.length === 0) throw new ItemProblem('it has no visible messages');
    const chat: ChatSource = {
      prefix: 'chatgpt',
      format: 'chatgpt-export',
      id: data.conversation_id ?? data.id,
      content: drafts,
      title: data.title,
      untitled: 'ChatGPT conversation',
    };
    return [chatConversation(chat, drafts, context, assumed)];
  },
};
