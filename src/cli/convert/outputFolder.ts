import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { createMd5, createSha256 } from '../../core/convert';
import type { MlcOutputPlan } from '../../core/convert';

/**
 * What was converted from where, and each finished shard's md5: written after every shard, so a
 * rerun resumes, and kept when the folder is complete, as its record of origin.
 */
export const infoFileName = 'convert-info.json';

export interface ConversionIdentity {
  /** The folder's path, or `hf:<repo>@<commit>`. */
  source: string;
  quantization: string;
  /** SHA-256 of every record's name, shape and place: a different plan cannot reuse the shards. */
  layout: string;
}

interface InfoFile extends ConversionIdentity {
  converter: string;
  complete: boolean;
  shards: Record<string, string>;
}

export async function conversionIdentity(
  source: string,
  plan: MlcOutputPlan,
): Promise<ConversionIdentity> {
  const layout = plan.shards
    .map(
      (shard) =>
        `${shard.dataPath}:${shard.records.map((r) => `${r.name}[${r.shape.join('x')}]@${r.byteOffset}`).join(',')}`,
    )
    .join(';');
  const hash = await createSha256();
  hash.update(new TextEncoder().encode(layout));
  return { source, quantization: plan.quantization, layout: hash.digest() };
}

/**
 * The state of `--out`: empty (or absent), a conversion of the same source and quantization to
 * resume (its progress file, or the tensor-cache.json of a finished one), or something else,
 * which is only replaced with --overwrite. Returns the md5 each finished shard should have.
 */
export async function prepareOutputFolder(
  folder: string,
  identity: ConversionIdentity,
  overwrite: boolean,
): Promise<Map<string, string>> {
  const entries = await readdir(folder).catch((error: unknown) => {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return null;
    throw error;
  });
  if (entries === null || entries.length === 0) {
    await mkdir(folder, { recursive: true });
    return new Map();
  }
  if (overwrite) {
    await rm(folder, { recursive: true, force: true });
    await mkdir(folder, { recursive: true });
    return new Map();
  }
  const earlier = await earlierConversion(folder, entries, identity);
  if (earlier) return earlier;
  throw new Error(
    `${folder} is not empty and holds no conversion of this checkpoint to ${identity.quantization} to resume; choose another --out or add --overwrite to replace it.`,
  );
}

async function earlierConversion(folder: string, entries: string[], identity: ConversionIdentity) {
  if (!entries.includes(infoFileName)) return null;
  const text = await readFile(path.join(folder, infoFileName), 'utf8').catch(() => '');
  let info: Partial<InfoFile> | null = null;
  try {
    info = JSON.parse(text) as Partial<InfoFile>;
  } catch {
    return null;
  }
  const same =
    info?.source === identity.source &&
    info.quantization === identity.quantization &&
    info.layout === identity.layout;
  return same ? new Map(Object.entries(info?.shards ?? {})) : null;
}

export async function recordProgress(
  folder: string,
  identity: ConversionIdentity,
  shards: Map<string, string>,
  complete: boolean,
) {
  const file: InfoFile = {
    ...identity,
    converter: 'dimmem-web src/core/convert (mlc-llm group quantization, tvmjs tensor cache)',
    complete,
    shards: Object.fromEntries(shards),
  };
  await writeAtomically(path.join(folder, infoFileName), `${JSON.stringify(file, null, 2)}\n`);
}

/** md5 of a file already in the folder, or null when it is absent. */
export async function fileMd5(file: string): Promise<string | null> {
  const bytes = await readFile(file).catch(() => null);
  if (!bytes) return null;
  const hash = await createMd5();
  hash.update(bytes);
  return hash.digest();
}

/** Writes to a temporary name and renames, so a crash never leaves a half-written file under the real name. */
export async function writeAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${file}.partial`;
  await writeFile(temporary, data);
  await rename(temporary, file);
}
