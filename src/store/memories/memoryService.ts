import type { MemoryRecord } from '../db/records';
import type { ServiceDeps } from '../tabs/publish';
import type { MemoryEdit } from './memoryRepository';
import { deleteMemories, editMemory } from './memoryRepository';

export interface MemoryService {
  /** Saves a person's edit (validated, marked edited) and shows it in every tab. */
  saveEdit(id: string, edit: MemoryEdit): Promise<MemoryRecord>;
  /**
   * Deletes memories in one transaction and removes them from every tab; a merged memory's
   * originals become current again (see `relinkAfterRemoval`).
   */
  remove(ids: readonly string[]): Promise<void>;
}

export function createMemoryService(deps: ServiceDeps): MemoryService {
  return {
    async saveEdit(id, edit) {
      const memory = await editMemory(await deps.db(), id, edit);
      await deps.publish({ type: 'memories-upserted', memories: [memory] });
      return memory;
    },
    async remove(ids) {
      const relinked = await deleteMemories(await deps.db(), ids);
      if (relinked.length === 0) await deps.publish({ type: 'memories-removed', ids: [...ids] });
      // Originals current again, merged memories noting a deleted original: one update.
      else
        await deps.publish({ type: 'memory-versions', memories: relinked, removedIds: [...ids] });
    },
  };
}
