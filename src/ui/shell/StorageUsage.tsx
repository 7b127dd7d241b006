import { useEffect } from 'react';

import { formatBytes } from '../../store/engine';
import { useConversationsStore } from '../../store/conversations/conversationsStore';
import { useEngineStore } from '../../store/engine';
import { useMemoriesStore } from '../../store/memories/memoriesStore';
import { refreshStorageUsage } from '../../store/storage/storageQuota';
import { useStorageStore } from '../../store/storage/storageStore';

/** The sidebar's footer: where the data is, and how much of the browser's storage it uses. */
export function StorageUsage() {
  const usage = useStorageStore((state) => state.usage);
  const sendsTo = useEngineStore((state) =>
    state.load.state === 'ready' ? state.load.sendsTo : null,
  );
  const conversationCount = useConversationsStore((state) => state.conversations.length);
  const memoryCount = useMemoriesStore((state) => state.memories.length);
  // What is stored changes with what was imported and extracted: measure again then.
  useEffect(() => {
    void refreshStorageUsage().catch(() => undefined);
  }, [conversationCount, memoryCount]);
  return (
    <div className="sidebar-footer" data-testid="storage-usage">
      <p className="flush">
        {sendsTo
          ? `Stored in this browser; runs send chats to ${sendsTo}.`
          : 'Everything stays in this browser.'}
      </p>
      {usage && (
        <p className="flush mt-2">
          {formatBytes(usage.usedBytes)} used of {formatBytes(usage.quotaBytes)} available
        </p>
      )}
    </div>
  );
}
