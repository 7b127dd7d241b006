import { useShallow } from 'zustand/react/shallow';

import { useConversationsStore } from '../../store/conversations/conversationsStore';
import { formatDateRange, plural } from '../common/format';
import { useRunsDraftStore } from './runsDraftStore';

/** The conversations a new run could read, each with a checkbox, and pick all / none. */
export function ConversationPicks() {
  const conversations = useConversationsStore((state) => state.conversations);
  const { picked, toggle, choose } = useRunsDraftStore(
    useShallow((state) => ({
      picked: state.conversationIds,
      toggle: state.toggle,
      choose: state.choose,
    })),
  );
  return (
    <>
      <ul className="pick-list" aria-label="Conversations to extract">
        {conversations.map((conversation) => (
          <li key={conversation.id}>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={picked.includes(conversation.id)}
                onChange={() => toggle(conversation.id)}
              />
              <span>
                {conversation.title}{' '}
                <span className="muted">
                  · {plural(conversation.userMessageCount, 'user message')} ·{' '}
                  {formatDateRange(conversation.firstTimestamp, conversation.lastTimestamp)}
                </span>
              </span>
            </label>
          </li>
        ))}
      </ul>
      <div className="row">
        <button
          type="button"
          className="button small"
          onClick={() => choose(conversations.map((conversation) => conversation.id))}
        >
          Pick all
        </button>
        <button type="button" className="button small ghost" onClick={() => choose([])}>
          Pick none
        </button>
      </div>
    </>
  );
}
