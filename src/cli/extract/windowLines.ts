import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';

import { windowKey } from './extractionPlan';

/** Lines written per window; each file has its own counts so a resume can verify them. */
export interface WindowLines {
  memories: string[];
  rejected: string[];
  answers: string[];
}

export type FileRole = keyof WindowLines;
export const roles: readonly FileRole[] = ['memories', 'rejected', 'answers'];

/** Write to a sibling file, then rename over: readers (and a later resume) never see half a file. */
export async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}

export interface ParsedLine {
  key: string;
  text: string;
}

/** Complete JSON lines with their window key; a torn last line (no newline) is left out. */
export async function readWindowLines(path: string): Promise<ParsedLine[]> {
  if (!existsSync(path)) return [];
  const text = await readFile(path, 'utf8');
  const pieces = text.split('\n');
  pieces.pop(); // after the last newline: empty, or a line cut off mid-write
  const lines: ParsedLine[] = [];
  for (const piece of pieces) {
    if (piece.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(piece);
    } catch {
      continue; // torn by a crash; its window is not in the ledger, so it will be redone
    }
    if (typeof value !== 'object' || value === null) continue;
    const { conversationId, windowIndex } = value as Record<string, unknown>;
    if (typeof conversationId !== 'string' || typeof windowIndex !== 'number') continue;
    lines.push({ key: windowKey(conversationId, windowIndex), text: piece });
  }
  return lines;
}
