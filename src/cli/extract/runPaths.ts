import { realpath, stat } from 'node:fs/promises';

import { UsageError } from '../command';

export interface RunPaths {
  memories: string;
  rejected: string;
  answers: string;
  progress: string;
}

export const runPathsFor = (out: string): RunPaths => ({
  memories: out,
  rejected: `${out}.rejected.jsonl`,
  answers: `${out}.answers.jsonl`,
  progress: `${out}.progress.json`,
});

/** The same file, by identity (device and inode) or, where a file system has no inodes, real path. */
async function sameFile(a: string, b: string): Promise<boolean> {
  try {
    const [first, second] = await Promise.all([stat(a), stat(b)]);
    if (first.ino !== 0 && first.dev === second.dev && first.ino === second.ino) return true;
    return (await realpath(a)) === (await realpath(b));
  } catch {
    return false; // one of them does not exist: it cannot be the other
  }
}

/**
 * Refuses an `--out` whose run files would replace the input (the same path, a symbolic or hard
 * link to it, or a side file named like it), whatever the flags: `--overwrite` would delete the
 * user's export.
 */
export async function refuseOutputOverInput(input: string, out: string): Promise<void> {
  const paths = runPathsFor(out);
  for (const role of Object.keys(paths) as (keyof RunPaths)[]) {
    if (await sameFile(paths[role], input)) {
      const which = role === 'memories' ? '--out' : `--out's ${role} file ${paths[role]}`;
      throw new UsageError(
        `${which} is the input file ${input}: writing there would replace your export. Choose another --out.`,
      );
    }
  }
}
