import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Locator, Page } from '@playwright/test';
import { expect } from '@playwright/test';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const fixtureData = path.resolve(repoRoot, 'tests/fixtures');

export interface SeedMemory {
  source_id: number;
  content: string;
  dimension: { memory_type: string; time: string; location: string; keywords: string[] };
}

/** The recorded answer the replay demo streams for the example conversation. */
export function seedAnswer(): SeedMemory[] {
  const raw = readFileSync(path.join(repoRoot, 'public/examples/seed-replay-window0.json'), 'utf8');
  return (JSON.parse(raw) as { memories: SeedMemory[] }).memories;
}

/** The example conversation's lines, in order (source_id n is line n). */
export function seedLines(): string[] {
  return readFileSync(path.join(repoRoot, 'public/examples/seed-conversation.txt'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/** Collects page errors and console errors; the app must produce none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

export const resultCount = (page: Page) => page.getByTestId('result-count');

/** Example conversation → saved → extracted with the replay demo (fast pace) → 16 memories. */
export async function importAndExtractExample(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Try the example conversation' }).first().click();
  await expect(page.getByRole('heading', { name: 'Import chats' })).toBeVisible();
  await page.getByRole('button', { name: 'Save 1 conversation' }).click();
  await page.getByRole('button', { name: 'Extract memories →' }).click();
  // Planning loads the Qwen3 tokenizer (a large lazy chunk) to count prompt tokens.
  await expect(page.getByTestId('planned-windows')).toHaveText('1', { timeout: 30_000 });
  await page.getByRole('combobox', { name: 'pace' }).selectOption({ label: 'fast (400 tokens/s)' });
  await page.getByRole('button', { name: 'Demo with recorded answers' }).click();
  await expect(page.getByText(/Demo mode: recorded answers/)).toBeVisible();
  await page.getByRole('button', { name: 'Start extraction (1 window)' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 30_000 });
}

/**
 * Advances `clockOwner`'s fake clock a step at a time until `locator` shows. A fixed jump is racy:
 * the replay engine's next token waits on real async work (IndexedDB, the tab channel) between
 * timers, so how far one jump gets depends on the machine's load. Bounded well below the ~80 s a
 * whole recorded answer takes at 25 tokens/s, so the window is still unfinished afterwards.
 */
export async function advanceClockUntilVisible(
  clockOwner: Page,
  locator: Locator,
  { stepMs = 2_000, maxSteps = 25 } = {},
): Promise<void> {
  for (let step = 0; step < maxSteps; step += 1) {
    if (await locator.isVisible()) return;
    await clockOwner.clock.runFor(stepMs);
  }
  await expect(locator).toBeVisible();
}

export interface StoredMemory {
  id: string;
  origin: string;
  windowIndex: number;
}

/** Every record of one IndexedDB object store, read straight from the database as a reload would. */
export function storedRecords<T>(page: Page, storeName: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const request = indexedDB.open('dimmem');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const all = db.transaction(name).objectStore(name).getAll();
          all.onerror = () => reject(all.error);
          all.onsuccess = () => {
            db.close();
            resolve(all.result as T[]);
          };
        };
      }),
    storeName,
  );
}

/** The memories stored in IndexedDB, as a reload would find them. */
export async function storedMemories(page: Page): Promise<StoredMemory[]> {
  const records = await storedRecords<StoredMemory>(page, 'memories');
  return records.map(({ id, origin, windowIndex }) => ({ id, origin, windowIndex }));
}

/** The ids of the conversations stored in IndexedDB, as a reload would find them. */
export async function storedConversationIds(page: Page): Promise<string[]> {
  const records = await storedRecords<{ id: string }>(page, 'conversations');
  return records.map((record) => String(record.id));
}
