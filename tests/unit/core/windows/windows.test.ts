import { describe, expect, it } from 'vitest';

import type { Message } from '../../../../src/core/conversation';
import { localTimeFromParts } from '../../../../src/core/time/localTime';
import {
  defaultWindowSettings,
  planWindows,
  type PromptWindow,
} from '../../../../src/core/windows';

const messages = (count: number): Message[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `m${i}`,
    role: 'user',
    speaker: 'User',
    text: `message ${i}`,
    timestamp: localTimeFromParts(2023, 1, 1, 0, 0, 0, 500 * i),
    sourceRef: String(i),
  }));

const ids = (window: PromptWindow) => window.messages.map((message) => message.id);
const spans = (windows: PromptWindow[]) =>
  windows.map((w) => [Number(w.messages[0]!.id.slice(1)), w.messages.length, w.overlap]);

describe('planWindows', () => {
  it('defaults to 15 messages with an overlap of 3', () => {
    expect(defaultWindowSettings).toEqual({ size: 15, overlap: 3 });
    // [start, length, overlap]: step 12, and the last window holds the rest.
    expect(spans(planWindows(messages(40)))).toEqual([
      [0, 15, 0],
      [12, 15, 3],
      [24, 15, 3],
      [36, 4, 3],
    ]);
  });

  it('puts the 14 seed-sized messages in one window, and splits them 9/8 with size 9', () => {
    expect(spans(planWindows(messages(14)))).toEqual([[0, 14, 0]]);
    const windows = planWindows(messages(14), { size: 9, overlap: 3 });
    expect(spans(windows)).toEqual([
      [0, 9, 0],
      [6, 8, 3],
    ]);
    expect(ids(windows[1]!)).toEqual(['m6', 'm7', 'm8', 'm9', 'm10', 'm11', 'm12', 'm13']);
  });

  it('stops after the first window that reaches the last message', () => {
    expect(spans(planWindows(messages(15)))).toEqual([[0, 15, 0]]);
    expect(spans(planWindows(messages(27)))).toEqual([
      [0, 15, 0],
      [12, 15, 3],
    ]);
    expect(planWindows([])).toEqual([]);
  });

  it('makes every message a source exactly once, for any valid settings', () => {
    const pool = messages(40);
    for (let size = 1; size <= 12; size += 1) {
      for (let overlap = 0; overlap < size; overlap += 1) {
        for (let count = 0; count <= 40; count += 1) {
          const windows = planWindows(pool.slice(0, count), { size, overlap });
          const sources = windows.flatMap((w) => ids(w).slice(w.overlap));
          const broken = windows.filter(
            (w, index) =>
              w.index !== index ||
              w.messages.length > size ||
              w.messages.length <= w.overlap ||
              w.overlap !== (index === 0 ? 0 : Math.min(overlap, w.messages.length)),
          );
          if (
            broken.length > 0 ||
            sources.join() !== ids({ index: 0, messages: pool.slice(0, count), overlap: 0 }).join()
          ) {
            expect.fail(
              `size ${size}, overlap ${overlap}, ${count} messages: ${JSON.stringify(spans(windows))}`,
            );
          }
        }
      }
    }
  });

  it('explains settings that cannot work', () => {
    expect(() => planWindows(messages(3), { size: 0, overlap: 0 })).toThrow(
      'Window size must be a whole number of at least 1, got 0.',
    );
    expect(() => planWindows(messages(3), { size: 2.5, overlap: 0 })).toThrow(/Window size/);
    expect(() => planWindows(messages(3), { size: 5, overlap: 5 })).toThrow(
      'Window overlap must be a whole number from 0 to 4 (less than the window size 5), got 5.',
    );
    expect(() => planWindows(messages(3), { size: 5, overlap: -1 })).toThrow(/Window overlap/);
  });

  it('treats an unstamped or non-user message as a programming error', () => {
    const unstamped = messages(3).map((m, i) => (i === 1 ? { ...m, timestamp: null } : m));
    expect(() => planWindows(unstamped)).toThrow(
      'User message m1 has no timestamp; importers must stamp every user message.',
    );
    const assistant = messages(3).map((m, i) =>
      i === 2 ? { ...m, role: 'assistant' as const } : m,
    );
    expect(() => planWindows(assistant)).toThrow(/m2 has role "assistant"/);
  });
});
