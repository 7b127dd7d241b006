import { z } from 'zod';

import { BuildError } from './buildError';

/** The checkpoint the authors publish: bf16 safetensors, a full fine-tune of Qwen3-4B. */
export const officialCheckpoint = {
  hub: 'https://huggingface.co',
  repo: 'wtqiu/DimMem-4B-Longmemeval',
} as const;

export interface CheckpointSource {
  /** `https://huggingface.co`, or a developer's local stand-in (see devCheckpointHost.ts). */
  hub: string;
  /** `owner/name` */
  repo: string;
}

/** One file of the checkpoint at the pinned revision, as Hugging Face lists it. */
export interface CheckpointFile {
  size: number;
  /** SHA-256 of an LFS file (what Hugging Face sends as `X-Linked-Etag`); null for small files. */
  sha256: string | null;
  /** The git blob id (SHA-1) of the file as stored in the repository. */
  gitBlobId: string | null;
}

export interface PinnedCheckpoint extends CheckpointSource {
  /** The commit hash `main` pointed to when the build started: every file is read at it. */
  revision: string;
  files: Record<string, CheckpointFile>;
}

const revisionAnswerSchema = z.looseObject({
  sha: z.string().regex(/^[0-9a-f]{40}$/, 'a 40-digit commit hash'),
  siblings: z.array(
    z.looseObject({
      rfilename: z.string(),
      size: z.number().int().nonnegative().optional(),
      blobId: z.string().optional(),
      lfs: z.looseObject({ sha256: z.string(), size: z.number().int().nonnegative() }).optional(),
    }),
  ),
});

function repoPath(repo: string): string {
  return repo.split('/').map(encodeURIComponent).join('/');
}

function hubBase(hub: string): string {
  return hub.endsWith('/') ? hub : `${hub}/`;
}

/** `<hub>/api/models/<repo>/revision/main?blobs=true`: the commit, and every file's size and hash. */
export function revisionApiUrl(source: CheckpointSource, revision = 'main'): string {
  const path = `api/models/${repoPath(source.repo)}/revision/${encodeURIComponent(revision)}`;
  return `${new URL(path, hubBase(source.hub)).href}?blobs=true`;
}

/** `<hub>/<repo>/resolve/<commit>/<file>`: Hugging Face redirects it to its file hosts. */
export function checkpointFileUrl(pinned: PinnedCheckpoint, file: string): string {
  const path = `${repoPath(pinned.repo)}/resolve/${pinned.revision}/${file
    .split('/')
    .map(encodeURIComponent)
    .join('/')}`;
  return new URL(path, hubBase(pinned.hub)).href;
}

/**
 * Pins the checkpoint: asks the hub which commit `main` is now, with each file's size and hash.
 * A build reads every file at that commit, so a resume days later cannot mix two versions.
 */
export async function pinCheckpoint(
  source: CheckpointSource,
  fetchFn: typeof fetch,
  signal?: AbortSignal,
): Promise<PinnedCheckpoint> {
  const url = revisionApiUrl(source);
  let response: Response;
  try {
    response = await fetchFn(url, { signal, cache: 'no-store' });
  } catch (error) {
    signal?.throwIfAborted();
    throw new BuildError('hub-unreachable', `${url}: network error`, { cause: error });
  }
  if (response.status === 404 || response.status === 401) {
    throw new BuildError('source-missing', `${source.repo} is not a public model on ${source.hub}`);
  }
  if (!response.ok) throw new BuildError('hub-unreachable', `${url}: HTTP ${response.status}`);
  const parsed = revisionAnswerSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) {
    throw new BuildError('hub-unreachable', `${url}: not a Hugging Face model listing`);
  }
  const files: Record<string, CheckpointFile> = {};
  for (const sibling of parsed.data.siblings) {
    const size = sibling.lfs?.size ?? sibling.size;
    if (size === undefined) continue;
    files[sibling.rfilename] = {
      size,
      sha256: sibling.lfs?.sha256 ?? null,
      gitBlobId: sibling.blobId ?? null,
    };
  }
  return { ...source, revision: parsed.data.sha, files };
}

/** The hash recorded for a file: its SHA-256 when LFS, else its git blob id. */
export function recordedHash(file: CheckpointFile): string {
  if (file.sha256) return `sha256:${file.sha256}`;
  if (file.gitBlobId) return `git-sha1:${file.gitBlobId}`;
  return 'unknown';
}
