import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** The records of a JSON Lines file, one a line; none when the file was never written. */
export async function readJsonl<T>(file: string): Promise<T[]> {
  if (!existsSync(file)) return [];
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);
}
