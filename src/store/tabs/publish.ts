/**
 * The one way a change reaches the stores. Usage, in a service:
 *
 *   const record = await saveSomething(await deps.db(), ...); // 1. commit to IndexedDB (one transaction)
 *   await deps.publish({ type: 'memories-upserted', memories: [record] }); // 2. publish the change
 *
 * `publish` applies the change to this tab's zustand stores (`applyChange`) and posts it on the tab
 * channel; every other tab applies it with the same `applyChange`. Never call a store's actions
 * and post a message separately. Services get `publish` with their database, `{ db, publish }`
 * (wired once in `boot/appServices.ts`); a test passes `createPublisher({ db, channel: null })`.
 */
import type { DimmemDb } from '../db/db';
import { applyChange } from './applyChange';
import type { Change } from './changes';
import { wireForm } from './changes';
import type { TabChannel } from './tabChannel';

/** Applies a committed change here and sends it to the other tabs. */
export type Publish = (change: Change) => Promise<void>;

export interface Publisher {
  publish: Publish;
  /**
   * Applies the changes other tabs publish, until the returned function is called. `onChange` sees
   * each one after it is applied (the run follower uses it).
   */
  listen(onChange?: (change: Change) => void): () => void;
}

export interface PublisherDeps {
  db: () => Promise<DimmemDb>;
  /** Null: this tab alone (tests, the CLI). */
  channel: TabChannel | null;
}

export function createPublisher(deps: PublisherDeps): Publisher {
  return {
    publish(change) {
      const applied = applyChange(change, deps.db);
      for (const message of wireForm(change)) deps.channel?.post(message);
      return applied;
    },
    listen(onChange) {
      if (!deps.channel) return () => undefined;
      return deps.channel.subscribe((message) => {
        if (message.type === 'control') return;
        // A reload that fails to open the database is reported to the storage store already.
        void applyChange(message, deps.db).catch(() => undefined);
        onChange?.(message);
      });
    },
  };
}

/** What every store service is built with (`createXService(deps)`): its database and `publish`. */
export interface ServiceDeps {
  /** The database, opened on first use (a function: the connection reopens after a version change). */
  db: () => Promise<DimmemDb>;
  publish: Publish;
}
