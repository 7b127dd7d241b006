import { z } from 'zod';

import type { Role } from '../conversation';
import type { LocalTime } from '../time/localTime';
import { attachedText, isImageFile, withAttachments } from './attachmentNotes';
import { claudeMessageOrder } from './claudeOrder';
import { chatConversation, type ChatSource } from './chatConversation';
import type { DraftMessage } from './conversationBuilder';
import { ItemProblem } from './importError';
import type { JsonFormat } from './jsonFormat';
import { isRecord, parseWith } from './schemaIssue';
import { createAssumedStamper, localTimeFromIsoInstant } from './stamping';

const contentPartSchema = z.looseObject({ type: z.string(), text: z.string().nullish() });

/** A file whose text Claude extracted (long pastes become these): `extracted_content`. */
const attachmentSchema = z.looseObject({
  file_name: z.string().nullish(),
  extracted_content: z.string().nullish(),
});

/** An uploaded file Claude keeps only by name (images, PDFs): `files`, and `files_v2` with a kind. */
const fileSchema = z.looseObject({
  file_name: z.string().nullish(),
  file_uuid: z.string().nullish(),
  file_kind: z.string().nullish(),
});

const chatMessageSchema = z.object({
  uuid: z.string().nullish(),
  parent_message_uuid: z.string().nullish(),
  sender: z.string(),
  text: z.string().nullish(),
  content: z.array(contentPartSchema).nullish(),
  created_at: z.string().nullish(),
  attachments: z.array(attachmentSchema).nullish(),
  files: z.array(fileSchema).nullish(),
  files_v2: z.array(fileSchema).nullish(),
});

const conversationSchema = z.object({
  uuid: z.string().nullish(),
  name: z.string().nullish(),
  created_at: z.string().nullish(),
  current_leaf_message_uuid: z.string().nullish(),
  chat_messages: z.array(chatMessageSchema),
});

type ClaudeMessage = z.infer<typeof chatMessageSchema>;

/**
 * The words of a message. When `content` has blocks, only its `text` blocks: the flat `text` also
 * holds the thinking and a "This block is not supported on your current device yet." fence per
 * tool call. Older exports have only `text`.
 */
const wordsOf = (message: ClaudeMessage): string => {
  const blocks = message.content ?? [];
  if (blocks.length === 0) return message.text?.trim() ?? '';
  return blocks
    .filter((part) => part.type === 'text' && typeof part.text === 'string')
    .map((part) => part.text!.trim())
    .filter((part) => part !== '')
    .join('\n\n');
};

/**
 * The words, then each attachment's extracted text under its file name (a message that is only a
 * long paste keeps it), then notes for uploaded files and images (./attachmentNotes).
 */
function textOf(message: ClaudeMessage): string {
  const attachments = (message.attachments ?? []).filter(
    (attachment) => (attachment.extracted_content ?? '').trim() !== '',
  );
  const documents = attachments.map((attachment) =>
    attachedText(attachment.file_name ?? '', attachment.extracted_content!),
  );
  const named = new Set(attachments.map((attachment) => attachment.file_name?.trim()));
  // `files_v2` repeats `files` with a kind; each file is counted once.
  const seen = new Set<string>();
  const files: string[] = [];
  let images = 0;
  for (const file of [...(message.files_v2 ?? []), ...(message.files ?? [])]) {
    const name = file.file_name?.trim() ?? '';
    const key = file.file_uuid ?? name;
    if (key === '' || seen.has(key) || seen.has(name) || named.has(name)) continue;
    seen.add(key);
    seen.add(name);
    if (file.file_kind === 'image' || (file.file_kind == null && isImageFile(name))) images += 1;
    else if (name !== '') files.push(name);
  }
  return withAttachments(wordsOf(message), { documents, files, images });
}

const USER_SENDERS = new Set(['human', 'user']);

const roleOf = (sender: string): Role => {
  const name = sender.toLowerCase();
  if (USER_SENDERS.has(name)) return 'user';
  return name === 'assistant' || name === 'claude' ? 'assistant' : 'other';
};

const epochMsOf = (text: string | null | undefined): number | null => {
  if (!text) return null;
  const epochMs = Date.parse(text);
  return Number.isNaN(epochMs) ? null : epochMs;
};

export const claudeFormat: JsonFormat = {
  id: 'claude-export',
  looksLike: (record) => isRecord(record) && Array.isArray(record.chat_messages),
  convert(record, _index, context) {
    const data = parseWith(conversationSchema, record, 'not a Claude conversation');
    const { timeZone } = context.options;
    const conversationTime: LocalTime | null = data.created_at
      ? localTimeFromIsoInstant(data.created_at, timeZone)
      : null;
    const assumed = createAssumedStamper(context.options);
    const messages = data.chat_messages;
    const order = claudeMessageOrder(
      messages.map((message) => ({
        uuid: message.uuid ?? null,
        parent: message.parent_message_uuid ?? null,
        time: epochMsOf(message.created_at),
        fromHuman: roleOf(message.sender) === 'user',
      })),
      data.current_leaf_message_uuid ?? null,
    );
    const drafts: DraftMessage[] = [];
    for (const index of order) {
      const message = messages[index]!;
      const text = textOf(message);
      if (text === '') continue;
      const role = roleOf(message.sender);
      let timestamp =
        (message.created_at ? localTimeFromIsoInstant(message.created_at, timeZone) : null) ??
        conversationTime;
      timestamp ??= assumed.stamp(role);
      drafts.push({
        role,
        speaker: role === 'user' ? 'User' : role === 'assistant' ? 'Claude' : message.sender,
        text,
        timestamp,
        sourceRef: message.uuid ?? `chat_messages[${index}]`,
      });
    }
    if (drafts.length === 0) throw new ItemProblem('it has no messages with text');
    const chat: ChatSource = {
      prefix: 'claude',
      format: 'claude-export',
      id: data.uuid,
      content: drafts,
      title: data.name,
      untitled: 'Claude conversation',
    };
    return [chatConversation(chat, drafts, context, assumed)];
  },
};
