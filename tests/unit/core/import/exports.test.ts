import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import type { Conversation } from '../../../../src/core/conversation';
import { detectFormat, importText } from '../../../../src/core/import';
import { localTimeFromParts, toPythonIsoformat } from '../../../../src/core/time/localTime';

/**
 * Real-world shapes of ChatGPT and Claude exports that the first importers lost or misread
 * (issue #13: voice mode, file and image turns, canvas documents, millisecond times, Claude's
 * edit branches, attachments, thinking blocks, wrapped conversation lists, `\r\n` text).
 */

const fixture = (name: string) =>
  readFileSync(path.resolve(__dirname, '../../../fixtures/import', name), 'utf8');
const iso = (time: number | null) => (time === null ? null : toPythonIsoformat(time));
const now = localTimeFromParts(2026, 1, 15, 12, 0, 0);

const byTitle = (conversations: Conversation[], title: string) => {
  const found = conversations.find((conversation) => conversation.title === title);
  expect(found, `conversation "${title}"`).toBeDefined();
  return found!;
};
const lines = (conversation: Conversation) =>
  conversation.messages.map((message) => `${message.role}: ${message.text}`);

describe('ChatGPT export: voice mode, files, images, canvas and times', () => {
  const text = fixture('chatgpt-voice-files-times.json');
  const result = importText('conversations.json', text, { timeZone: 'UTC', now });

  it('reads voice-mode transcriptions and marks those messages as spoken', () => {
    const knock = byTitle(result.conversations, 'Knock sensor wire location');
    expect(lines(knock)).toEqual([
      'user: What does this plug go into? I found it along the wiring harness of my 2006 Mustang 4.0 V6, right side.',
      'assistant: That lonely single wire with the braided shield is the knock sensor lead. The sensor sits under the upper intake.',
      'user: Is the knock sensor the same part on AutoZone for me?',
      "assistant: Yes, it's the same sensor for the 4.0 SOHC. Bring the old one so they can match the connector.",
      // The voice turn whose transcription is empty (silence) said nothing: it is left out.
      'assistant: Still there?',
      "user: My brother Sam says it's under the intake, so I'll do it on Saturday.",
      "assistant: Sam's right. Get new upper-intake gaskets before Saturday.",
    ]);
    expect(knock.messages.map((message) => message.input ?? 'typed')).toEqual([
      'typed',
      'typed',
      'voice',
      'voice',
      'voice',
      'voice',
      'voice',
    ]);
  });

  it('imports a conversation held entirely in voice mode instead of skipping it', () => {
    const marathon = byTitle(result.conversations, 'Marathon training');
    expect(marathon.messages.filter((message) => message.role === 'user')).toHaveLength(2);
    expect(marathon.messages[0]!.text).toBe(
      "I'm training for the Berlin marathon in September and my left knee hurts after long runs.",
    );
    expect(result.warnings.join('\n')).not.toMatch(/Marathon/);
  });

  it('keeps file-only and image-only turns as visible placeholders, with the file name', () => {
    const cooling = byTitle(result.conversations, 'Data centre cooling options');
    expect(lines(cooling)).toEqual([
      'user: [uploaded a file: AI datacenter cooling.pdf]',
      'assistant: The PDF compares rear-door heat exchangers with direct-to-chip liquid cooling for 40 kW racks.',
      'user: [shared an image]',
      "assistant: That's a rear-door heat exchanger; the blue lines are the chilled-water loop.",
      'user: Summarise both for my manager Priya.\nKeep it under 200 words.\nShe reads on her phone.\n[uploaded a file: cooling-costs.xlsx]',
      'assistant: Here is a 180-word summary for Priya.',
      'user: Tighten the intro of my proposal.\n\n[canvas document: Cooling proposal]\n# Cooling proposal\n\nOur racks in Hall B run at 38 °C in August. I propose rear-door heat exchangers for rows 4-9.',
      'assistant: I tightened the intro to two sentences.',
    ]);
  });

  it('reads create_time in milliseconds, and treats 0 as missing (the conversation time)', () => {
    const ferry = byTitle(result.conversations, 'Ferry times');
    expect(ferry.messages.map((message) => iso(message.timestamp))).toEqual([
      '2024-05-02T18:04:11.250000',
      '2024-05-02T18:04:10.123000', // no create_time: the conversation's
      '2024-05-02T18:04:10.123000', // create_time 0: the conversation's, not 1970
      '2024-05-02T18:05:02.500000',
    ]);
  });

  it('assumes a date for a conversation dated only 0, never 1970', () => {
    const undated = byTitle(result.conversations, 'Undated export entry');
    expect(undated.assumedTimestamps).toEqual({ date: now, reason: 'import-time' });
    expect(undated.messages.map((message) => iso(message.timestamp))).toEqual([
      '2026-01-15T12:00:00',
      '2026-01-15T12:00:00',
    ]);
  });

  it('never produces a time outside years 1970–9999 (no "+056305-…")', () => {
    for (const conversation of result.conversations) {
      for (const message of conversation.messages) {
        const stamp = iso(message.timestamp)!;
        expect(stamp).toMatch(/^(19[7-9]\d|2\d{3})-/);
      }
    }
    const hostile = JSON.parse(text) as Record<string, unknown>[];
    const ferry = structuredClone(hostile[3]!) as {
      create_time: number;
      mapping: Record<string, { message: { create_time: number | null } | null }>;
    };
    ferry.create_time = 1714673050;
    ferry.mapping['u1-ff01']!.message!.create_time = 1e20; // nonsense: neither s, ms nor µs
    ferry.mapping['u2-ff03']!.message!.create_time = -5;
    const [read] = importText('c.json', JSON.stringify([ferry]), { timeZone: 'UTC' }).conversations;
    expect(read!.messages.map((message) => iso(message.timestamp))).toEqual([
      '2024-05-02T18:04:10',
      '2024-05-02T18:04:10',
      '2024-05-02T18:04:10',
      '2024-05-02T18:05:02.500000',
    ]);
  });
});

describe('Claude export: branches, order, content blocks and attachments', () => {
  const result = importText('conversations.json', fixture('claude-branches-attachments.json'), {
    timeZone: 'UTC',
  });

  it('keeps only the branch that leads to the latest message (edits and regenerations)', () => {
    const family = byTitle(result.conversations, 'Surprise dinner for my sister');
    expect(family.messages.map((message) => message.sourceRef)).toEqual([
      'f-h1b',
      'f-a1b',
      'f-h2',
      'f-a2',
    ]);
    const said = family.messages.map((message) => message.text).join('\n');
    expect(said).not.toContain('called Ana.');
    expect(said).not.toContain('picnic');
  });

  it('orders by the parent chain, not by the order of the list', () => {
    const family = byTitle(result.conversations, 'Surprise dinner for my sister');
    expect(family.messages.map((message) => iso(message.timestamp))).toEqual([
      '2025-03-02T03:25:00',
      '2025-03-02T03:25:04',
      '2025-03-02T03:28:10',
      '2025-03-02T03:37:40',
    ]);
  });

  it('uses only the text blocks of content: no thinking, no "not supported" fences', () => {
    const family = byTitle(result.conversations, 'Surprise dinner for my sister');
    expect(lines(family)).toEqual([
      'user: My sister is called Ana-Rita. Her birthday is 3 May.',
      'assistant: Got it: Ana-Rita, birthday on 3 May.',
      'user: Plan a surprise dinner for her in Porto, about 12 people.',
      'assistant: Three places in Porto that take group bookings: Cantinho do Avillez, Tapabento and O Paparico.',
    ]);
  });

  it('includes attachments (long pastes, uploaded text files) and keeps file-only turns', () => {
    const report = byTitle(result.conversations, 'Quarterly report');
    expect(lines(report)).toEqual([
      'user: [pasted text]\nQ3 revenue: 4.2 M EUR (+12 %).\nChurn: 3.1 %.\nHeadcount: 48, hiring 6 engineers in Lisbon.\nRisks: the Frankfurt data centre contract ends in January.',
      'assistant: Revenue grew 12 %; the main risk is the Frankfurt contract.',
      'user: Compare with my notes from last quarter.\n\n[uploaded a file: q2-notes.md]\nQ2 revenue: 3.75 M EUR.\nHeadcount: 41.',
      'assistant: Revenue is up 0.45 M EUR and headcount by 7.',
      'user: [shared an image]',
      'assistant: The chart shows the September dip.',
      'user: [uploaded a file: board-minutes.pdf]',
      'assistant: The board approved the Lisbon hiring.',
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('takes senders Human and user as the user, and puts the human first when times tie', () => {
    const older = importText('conversations.json', fixture('claude-older-senders.json'), {
      timeZone: 'UTC',
    });
    const [tides] = older.conversations;
    expect(tides!.messages.map((message) => `${message.role} ${message.sourceRef}`)).toEqual([
      'user t-01',
      'assistant t-02',
      'user t-03',
      'assistant t-04',
    ]);
    expect(tides!.participants).toEqual(['User', 'Claude']);
  });
});

describe('a file holding {"conversations": [...]}', () => {
  it('is read by the shape of its conversations: ChatGPT inside is a ChatGPT export', () => {
    const list = fixture('chatgpt-conversations.json');
    const wrapped = JSON.stringify({ conversations: JSON.parse(list) as unknown });
    expect(detectFormat(wrapped)).toBe('chatgpt-export');
    const fromWrapped = importText('export.json', wrapped, { timeZone: 'UTC' });
    const fromList = importText('export.json', list, { timeZone: 'UTC' });
    expect(fromWrapped.format).toBe('chatgpt-export');
    expect(fromWrapped.conversations).toEqual(fromList.conversations);
  });

  it('Claude inside is a Claude export', () => {
    const list = fixture('claude-conversations.json');
    const wrapped = JSON.stringify({ conversations: JSON.parse(list) as unknown });
    const result = importText('export.json', wrapped, { timeZone: 'UTC' });
    expect(result.format).toBe('claude-export');
    expect(result.conversations[0]!.title).toBe('Sourdough starter troubleshooting');
  });

  it('ShareGPT turns inside are still one ShareGPT conversation', () => {
    const sharegpt = JSON.stringify({
      conversations: [
        { from: 'human', value: 'My cat Miso is allergic to chicken.' },
        { from: 'gpt', value: 'Try a fish-based food.' },
      ],
    });
    const result = importText('one.json', sharegpt, { now });
    expect(result.format).toBe('sharegpt');
    expect(result.conversations[0]!.messages[0]!.text).toBe('My cat Miso is allergic to chicken.');
  });
});

describe('line ends inside message text', () => {
  it('are \\n in every importer, whatever the source stored (\\r\\n or a lone \\r)', () => {
    const inputs: [string, string][] = [
      [
        'sharegpt.json',
        JSON.stringify([
          { conversations: [{ from: 'human', value: 'line one\r\nline two\rthree' }] },
        ]),
      ],
      [
        'openai.json',
        JSON.stringify([{ messages: [{ role: 'user', content: 'line one\r\nline two\rthree' }] }]),
      ],
      [
        'longmemeval.json',
        JSON.stringify({
          question_id: 'q1',
          question: 'x',
          haystack_session_ids: ['s1'],
          haystack_dates: ['2023/05/20 (Sat) 02:21'],
          haystack_sessions: [[{ role: 'user', content: 'line one\r\nline two\rthree' }]],
        }),
      ],
      ['claude.json', fixture('claude-branches-attachments.json')],
      ['chatgpt.json', fixture('chatgpt-voice-files-times.json')],
    ];
    for (const [name, input] of inputs) {
      const result = importText(name, input, { timeZone: 'UTC', now });
      const texts = result.conversations.flatMap((c) => c.messages.map((m) => m.text));
      expect(texts.length, name).toBeGreaterThan(0);
      for (const said of texts) expect(said, name).not.toMatch(/\r/);
    }
    const [shared] = importText('sharegpt.json', inputs[0]![1], { now }).conversations;
    expect(shared!.messages[0]!.text).toBe('line one\nline two\nthree');
  });
});
