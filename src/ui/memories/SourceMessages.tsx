import type { Message } from '../../core/conversation';
import type { MemoryRecord } from '../../store/db/records';
import { formatDateTime } from '../common/format';
import { useConversationMessages } from './useConversationMessages';

/** Messages shown before and after the source message. */
const contextSize = 3;

/** The message a memory came from among its neighbours, or its kept text when the conversation is gone. */
export function SourceMessages({ memory }: { memory: MemoryRecord }) {
  const loaded = useConversationMessages(memory.conversationId);
  const messages = loaded?.messages ?? null;

  if (loaded === null) return <p className="muted">Loading the conversation…</p>;
  const index = messages?.findIndex((message) => message.id === memory.messageId) ?? -1;
  if (messages === null || index === -1) {
    // The conversation was deleted (or never stored): the memory still keeps its source text.
    return (
      <ol className="message-list">
        <li className="message source" aria-current="true">
          <span className="message-meta">
            Source message · {formatDateTime(memory.messageTimestamp)}
          </span>
          {memory.messageText}
        </li>
      </ol>
    );
  }
  const shown: Message[] = messages.slice(
    Math.max(0, index - contextSize),
    index + contextSize + 1,
  );
  return (
    <ol className="message-list" aria-label="Source message with its neighbours">
      {shown.map((message) => {
        const isSource = message.id === memory.messageId;
        return (
          <li
            key={message.id}
            className={`message${message.role === 'user' ? '' : ' assistant'}${isSource ? ' source' : ''}`}
            aria-current={isSource ? 'true' : undefined}
            data-testid={isSource ? 'source-message' : undefined}
          >
            <span className="message-meta">
              {isSource && <strong>Source · </strong>}
              {message.speaker}
              {message.timestamp !== null && ` · ${formatDateTime(message.timestamp)}`}
            </span>
            {message.text}
          </li>
        );
      })}
    </ol>
  );
}
