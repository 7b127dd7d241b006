import { createMD5, createSHA256 } from 'hash-wasm';

/** Incremental hashes that run the same in Node and in browser workers (SubtleCrypto has no MD5). */
export interface IncrementalHash {
  update(bytes: Uint8Array): void;
  /** Lowercase hex. */
  digest(): string;
}

/** MD5, as `tensor-cache.json`'s `md5sum` holds it. */
export async function createMd5(): Promise<IncrementalHash> {
  const hasher = await createMD5();
  hasher.init();
  return { update: (bytes) => void hasher.update(bytes), digest: () => hasher.digest('hex') };
}

/** SHA-256, resumable by feeding the file again from the start; for recording source files. */
export async function createSha256(): Promise<IncrementalHash> {
  const hasher = await createSHA256();
  hasher.init();
  return { update: (bytes) => void hasher.update(bytes), digest: () => hasher.digest('hex') };
}

export async function md5Hex(bytes: Uint8Array): Promise<string> {
  const hash = await createMd5();
  hash.update(bytes);
  return hash.digest();
}
