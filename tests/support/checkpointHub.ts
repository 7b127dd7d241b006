import { createHash } from 'node:crypto';

import { startRangeServer } from './rangeServer';
import type { RangeServer } from './rangeServer';

/**
 * A stand-in for Hugging Face on 127.0.0.1, for model-build tests: the hub answers
 * `/api/models/<repo>/revision/main?blobs=true` (commit hash, file sizes, LFS SHA-256) and
 * redirects `/<repo>/resolve/<commit>/<file>` (302) to a file host on a second port, which
 * answers single-range requests — the way huggingface.co sends downloads to its file hosts.
 * `fileHost.slow` paces the file host so a test can stop a build midway.
 */
export interface CheckpointHub {
  hub: RangeServer;
  fileHost: RangeServer;
  repo: string;
  revision: string;
  /** File → SHA-256 hex, as the listing gives it. */
  sha256: Map<string, string>;
  /** Publishes a new commit as `main` (the files stay the same; old commits stay readable). */
  setRevision(revision: string): void;
  close(): Promise<void>;
}

export const testRepo = 'wtqiu/DimMem-4B-Longmemeval';
export const testRevision = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

export async function startCheckpointHub(
  files: Map<string, Uint8Array>,
  options: { repo?: string; revision?: string; slow?: boolean } = {},
): Promise<CheckpointHub> {
  const repo = options.repo ?? testRepo;
  let revision = options.revision ?? testRevision;
  // Like Hugging Face, every commit ever published stays readable under `resolve/<commit>/`.
  const published = new Set([revision]);
  const sha256 = new Map(
    [...files].map(([name, bytes]) => [name, createHash('sha256').update(bytes).digest('hex')]),
  );
  const fileHost = await startRangeServer({
    files: new Map([...files].map(([name, bytes]) => [`/${name}`, bytes])),
  });
  const hub = await startRangeServer({
    extra: (_request, response, path) => {
      if (path === `/api/models/${repo}/revision/main`) {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.end(
          JSON.stringify({
            id: repo,
            sha: revision,
            siblings: [...files].map(([name, bytes]) => ({
              rfilename: name,
              size: bytes.byteLength,
              blobId: createHash('sha1').update(bytes).digest('hex'),
              ...(name.endsWith('.safetensors')
                ? { lfs: { sha256: sha256.get(name), size: bytes.byteLength, pointerSize: 134 } }
                : {}),
            })),
          }),
        );
        return true;
      }
      const prefix = `/${repo}/resolve/`;
      if (path.startsWith(prefix)) {
        const [commit, ...rest] = path.slice(prefix.length).split('/');
        if (!published.has(commit ?? '')) {
          response.writeHead(404);
          response.end('unknown revision');
          return true;
        }
        const mode = options.slow ? '/slow' : '';
        response.writeHead(302, { Location: `${fileHost.origin}${mode}/${rest.join('/')}` });
        response.end();
        return true;
      }
      return false;
    },
  });
  return {
    hub,
    fileHost,
    repo,
    get revision() {
      return revision;
    },
    sha256,
    setRevision(next) {
      revision = next;
      published.add(next);
    },
    close: async () => {
      await hub.close();
      await fileHost.close();
    },
  };
}
