import { z } from 'zod';

import { defaultContextWindowSize } from '../../engine/catalog/modelCatalog';
import { quantizations } from '../../engine/catalog/quantization';

/** Model sources the user chose; kept in localStorage: small, read before the first render. */
const sourcesSchema = z.object({
  userUrl: z.string().nullable().default(null),
  userLibraryUrl: z.string().nullable().default(null),
  localFolders: z
    .array(z.object({ name: z.string(), url: z.string(), quantization: z.enum(quantizations) }))
    .default([]),
  contextWindowSize: z.number().int().min(2048).max(40960).default(defaultContextWindowSize),
  selectedId: z.string().nullable().default(null),
});
export type EngineSources = z.infer<typeof sourcesSchema>;

export const engineSourcesStorageKey = 'dimmem.engine.sources.v1';

/** The saved sources; anything unreadable gives the defaults. */
export function readSources(): EngineSources {
  try {
    const raw = globalThis.localStorage?.getItem(engineSourcesStorageKey);
    return sourcesSchema.parse(raw ? JSON.parse(raw) : {});
  } catch {
    return sourcesSchema.parse({});
  }
}

export function writeSources(sources: EngineSources): void {
  try {
    globalThis.localStorage?.setItem(engineSourcesStorageKey, JSON.stringify(sources));
  } catch {
    // Private modes may refuse; the choice then lasts for this visit only.
  }
}
