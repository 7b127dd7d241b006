import type { GenerateInput } from './protocol';

/** What the seed page wrote into the app's database. */
export interface SeedOutput {
  memories: number;
  conversations: number;
  messages: number;
  /** Milliseconds to write conversations (with their messages) and memories. */
  writeMs: number;
}

export interface TableSeedApi {
  /**
   * Writes `input.count` generated memories, and the conversations and source messages they
   * refer to, into the app's empty database (`DB_NAME`) with the app's own repositories.
   */
  seed(input: GenerateInput): Promise<SeedOutput>;
  /** The baseline read: a bare `idb` `getAll` of the app's memories, in milliseconds. */
  bareGetAll(): Promise<number>;
}

declare global {
  interface Window {
    dimmemTableSeed?: TableSeedApi;
  }
}
