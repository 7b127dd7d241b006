import { z } from 'zod';

import { quantizations } from '../catalog/quantization';
import type { Quantization } from '../catalog/quantization';
import type { BuildErrorCode } from './buildError';
import type { PinnedCheckpoint } from './huggingFaceClient';

/**
 * A model build's progress, kept in Cache Storage next to the output it describes (no IndexedDB
 * schema change): which checkpoint revision it reads, and which output shards are finished. The
 * output shards themselves are stored under their final WebLLM keys as each one completes, so a
 * resume after a pause, a reload or a crash converts only the shards still missing.
 */
export const buildStateCacheName = 'dimmem/model-build';
export const buildStateKey = 'https://dimmem-build.invalid/state.json';

export type BuildPhase = 'running' | 'paused' | 'failed' | 'done';

const failureSchema = z.object({
  code: z.string() as z.ZodType<BuildErrorCode>,
  advice: z.string(),
  detail: z.string(),
});

export const buildStateSchema = z.object({
  version: z.literal(1),
  hub: z.string(),
  repo: z.string(),
  revision: z.string(),
  files: z.record(
    z.string(),
    z.object({
      size: z.number(),
      sha256: z.string().nullable(),
      gitBlobId: z.string().nullable(),
    }),
  ),
  quantization: z.enum(quantizations),
  contextWindowSize: z.number().int(),
  /** Where the output lives: the model URL of its catalog record (WebLLM cache keys derive from it). */
  modelUrl: z.string(),
  /** Known once the checkpoint was inspected and the output planned. */
  shardCount: z.number().int().nullable(),
  /** Finished output shards by `dataPath`: their md5 (for tensor-cache.json) and size. */
  shards: z.record(z.string(), z.object({ md5: z.string(), nbytes: z.number() })),
  phase: z.enum(['running', 'paused', 'failed', 'done']),
  failure: failureSchema.nullable(),
  startedAt: z.number(),
  updatedAt: z.number(),
});

export type BuildState = z.infer<typeof buildStateSchema>;
export type BuildFailure = z.infer<typeof failureSchema>;

export function newBuildState(
  pinned: PinnedCheckpoint,
  quantization: Quantization,
  contextWindowSize: number,
  modelUrl: string,
  now: number,
): BuildState {
  return {
    version: 1,
    hub: pinned.hub,
    repo: pinned.repo,
    revision: pinned.revision,
    files: pinned.files,
    quantization,
    contextWindowSize,
    modelUrl,
    shardCount: null,
    shards: {},
    phase: 'running',
    failure: null,
    startedAt: now,
    updatedAt: now,
  };
}

/** The checkpoint as the state pinned it. */
export function pinnedOf(state: BuildState): PinnedCheckpoint {
  return { hub: state.hub, repo: state.repo, revision: state.revision, files: state.files };
}

// The state machine: pure functions, each returning the next state.

export function withShardDone(
  state: BuildState,
  dataPath: string,
  shard: { md5: string; nbytes: number },
  now: number,
): BuildState {
  return { ...state, shards: { ...state.shards, [dataPath]: shard }, updatedAt: now };
}

export function withoutShard(state: BuildState, dataPath: string, now: number): BuildState {
  const shards = { ...state.shards };
  delete shards[dataPath];
  return { ...state, shards, updatedAt: now };
}

export function withPhase(
  state: BuildState,
  phase: BuildPhase,
  now: number,
  failure: BuildFailure | null = null,
): BuildState {
  if (state.phase === 'done' && phase !== 'done') {
    throw new Error('A finished build cannot change phase.');
  }
  return { ...state, phase, failure: phase === 'failed' ? failure : null, updatedAt: now };
}

/**
 * A build the state calls `running` while no code in this tab runs it was stopped by a reload or a
 * crash: to the user it is paused, and it resumes the same way.
 */
export function asFoundAfterLoad(state: BuildState): BuildState {
  return state.phase === 'running' ? { ...state, phase: 'paused' } : state;
}

export function shardsDone(state: BuildState): number {
  return Object.keys(state.shards).length;
}

// Storage: one JSON entry in its own cache.

export async function readBuildState(caches: CacheStorage): Promise<BuildState | null> {
  const cache = await caches.open(buildStateCacheName);
  const stored = await cache.match(new Request(buildStateKey));
  if (!stored) return null;
  const parsed = buildStateSchema.safeParse(await stored.json().catch(() => null));
  // An unreadable state (another version, a damaged entry) is dropped: nothing loadable depends on it.
  return parsed.success ? parsed.data : null;
}

export async function writeBuildState(caches: CacheStorage, state: BuildState): Promise<void> {
  const cache = await caches.open(buildStateCacheName);
  await cache.put(
    new Request(buildStateKey),
    new Response(JSON.stringify(state), { headers: { 'Content-Type': 'application/json' } }),
  );
}

export async function deleteBuildState(caches: CacheStorage): Promise<void> {
  const cache = await caches.open(buildStateCacheName);
  await cache.delete(new Request(buildStateKey));
}
