import { z } from 'zod';

import { quantizations } from '../../engine/catalog/quantization';
import type { BuiltModelSource } from '../../engine/catalog/modelCatalog';

/**
 * The builds made in this browser that finished: small, read before the first render (like the
 * other model sources), written only after the build's last file is stored.
 */
export const builtModelsStorageKey = 'dimmem.model-builds.v1';

const builtModelSchema = z.object({
  modelUrl: z.string(),
  quantization: z.enum(quantizations),
  hub: z.string(),
  repo: z.string(),
  revision: z.string(),
  sourceHashes: z.record(z.string(), z.string()),
  developerHost: z.boolean(),
  builtAt: z.number(),
});
export type RegisteredBuild = z.infer<typeof builtModelSchema>;

export function readBuiltModels(): RegisteredBuild[] {
  try {
    const raw = globalThis.localStorage?.getItem(builtModelsStorageKey);
    const parsed = z.array(builtModelSchema).safeParse(raw ? JSON.parse(raw) : []);
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

function write(builds: readonly RegisteredBuild[]): void {
  try {
    globalThis.localStorage?.setItem(builtModelsStorageKey, JSON.stringify(builds));
  } catch {
    // Private modes may refuse: the build stays in the cache; building again finds it finished.
  }
}

/** Adds (or replaces, for the same model URL) a finished build. */
export function registerBuiltModel(build: RegisteredBuild): void {
  write([...readBuiltModels().filter((b) => b.modelUrl !== build.modelUrl), build]);
}

export function forgetBuiltModel(modelUrl: string): void {
  write(readBuiltModels().filter((b) => b.modelUrl !== modelUrl));
}

export function builtModelSources(): BuiltModelSource[] {
  return readBuiltModels();
}
