import { CheckpointFileMissingError } from '../../core/convert';
import type { CheckpointReader } from '../../core/convert';

/** `HF_ENDPOINT` as huggingface_hub reads it; the tests point it at a local server. */
export function huggingFaceEndpoint(): string {
  return (process.env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, '');
}

const repoIdPattern = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;
export const isHuggingFaceRepoId = (text: string) => repoIdPattern.test(text);

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const token = process.env.HF_TOKEN;
  return token ? { ...extra, authorization: `Bearer ${token}` } : extra;
}

/**
 * The commit a revision (branch, tag or hash) points to now, so every file of one conversion
 * comes from the same commit even when the repository changes meanwhile.
 */
export async function resolveHuggingFaceRevision(
  repo: string,
  revision: string,
  signal?: AbortSignal,
): Promise<string> {
  const url = `${huggingFaceEndpoint()}/api/models/${repo}/revision/${encodeURIComponent(revision)}`;
  const response = await fetch(url, { headers: headers(), signal });
  if (response.status === 401 || response.status === 404) {
    throw new Error(
      `Hugging Face has no model ${repo} at revision ${revision} (or it needs HF_TOKEN): HTTP ${response.status}.`,
    );
  }
  if (!response.ok) throw new Error(`Hugging Face answered HTTP ${response.status} for ${url}.`);
  const body = (await response.json()) as { sha?: unknown };
  if (typeof body.sha !== 'string' || !/^[0-9a-f]{40}$/.test(body.sha)) {
    throw new Error(`Hugging Face did not give a commit hash for ${repo}@${revision}.`);
  }
  return body.sha;
}

/**
 * Reads a Hugging Face model repository pinned to one commit, by single-range GET requests
 * (the weight files redirect to Hugging Face's file hosts; fetch follows). Not testable against
 * the real hosts here: the tests use a local server that answers like them.
 */
export function huggingFaceCheckpointReader(repo: string, commit: string): CheckpointReader {
  const urlOf = (file: string) =>
    `${huggingFaceEndpoint()}/${repo}/resolve/${commit}/${file.split('/').map(encodeURIComponent).join('/')}`;
  const sizes = new Map<string, number>();
  const failed = (file: string, response: Response): never => {
    if (response.status === 404) throw new CheckpointFileMissingError(file);
    throw new Error(
      `Hugging Face answered HTTP ${response.status} for ${file} of ${repo}@${commit.slice(0, 10)}.`,
    );
  };
  return {
    async readText(file) {
      const response = await fetch(urlOf(file), { headers: headers() });
      if (!response.ok) failed(file, response);
      return response.text();
    },
    async size(file) {
      const known = sizes.get(file);
      if (known !== undefined) return known;
      // A one-byte range answers with the whole size in Content-Range, redirects followed.
      const response = await fetch(urlOf(file), { headers: headers({ range: 'bytes=0-0' }) });
      if (response.status === 416) return 0;
      if (!response.ok) failed(file, response);
      await response.arrayBuffer();
      const total = /\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1];
      const size =
        total !== undefined ? Number(total) : Number(response.headers.get('content-length'));
      if (!Number.isSafeInteger(size)) throw new Error(`Hugging Face gave no size for ${file}.`);
      sizes.set(file, size);
      return size;
    },
    async read(file, start, end, signal) {
      if (end <= start) return new Uint8Array(0);
      for (let attempt = 1; ; attempt += 1) {
        try {
          const response = await fetch(urlOf(file), {
            headers: headers({ range: `bytes=${start}-${end - 1}` }),
            signal,
          });
          if (!response.ok) failed(file, response);
          if (response.status !== 206) {
            // A whole 4 GB file for every 8 MiB block would never finish: refuse instead.
            await response.body?.cancel();
            throw new Error(
              `The server of ${file} ignored the Range header; range requests are needed.`,
            );
          }
          const bytes = new Uint8Array(await response.arrayBuffer());
          if (bytes.byteLength === end - start) return bytes;
          throw new TypeError(
            `${file}: the answer ended after ${bytes.byteLength} of ${end - start} bytes.`,
          );
        } catch (error) {
          // fetch reports a dropped connection as a TypeError; try again, waiting longer each time.
          if (!(error instanceof TypeError) || signal?.aborted || attempt >= 5) throw error;
          await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
        }
      }
    },
  };
}
