import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { userMessages } from '../../../../src/core/conversation';
import { detectFormat, importText } from '../../../../src/core/import';
import { localTimeFromParts, toPythonIsoformat } from '../../../../src/core/time/localTime';

const fixture = (name: string) =>
  readFileSync(path.resolve(__dirname, '../../../fixtures/import', name), 'utf8');
const iso = (time: number | null) => (time === null ? null : toPythonIsoformat(time));
const now = localTimeFromParts(2024, 10, 1, 12, 0, 0);

describe('ChatGPT export', () => {
  const text = fixture('chatgpt-conversations.json');

  it('follows current_node back to the root: the regenerated answer, not the first one', () => {
    const result = importText('conversations.json', text, { timeZone: 'UTC' });
    expect(result.format).toBe('chatgpt-export');
    const [lisbon] = result.conversations;
    expect(lisbon!.id).toBe('chatgpt:6633d4fa-2b0c-8000-a3d1-5c7f0e9b1a11');
    expect(lisbon!.title).toBe('Lisbon trip planning');
    const refs = lisbon!.messages.map((message) => message.sourceRef);
    expect(refs).toContain('a1-new-5c2d');
    expect(refs).not.toContain('a1-old-11f0');
  });

  it('skips system, hidden custom instructions, tool calls, tool output and empty messages', () => {
    const [lisbon] = importText('conversations.json', text, { timeZone: 'UTC' }).conversations;
    expect(
      lisbon!.messages.map((message) => `${message.id} ${message.role} ${message.sourceRef}`),
    ).toEqual([
      'm0 user u1-93ac',
      'm1 assistant a1-new-5c2d',
      'm2 user u2-77d0',
      'm3 assistant a2-ans-c41b',
      'm4 user u3-d2e8',
    ]);
  });

  it('joins string parts, ignores image parts, and converts create_time to local time', () => {
    const [lisbon] = importText('conversations.json', text, { timeZone: 'UTC' }).conversations;
    expect(lisbon!.messages[2]!.text).toBe(
      'Campo de Ourique sounds good.\nCan you check how far it is from the airport by metro?',
    );
    expect(lisbon!.messages[4]!.text).toBe(
      "Here's the apartment we found. Is this street noisy at night?",
    );
    expect(iso(lisbon!.messages[0]!.timestamp)).toBe('2024-05-02T18:04:11.250000');
    // A message without create_time takes the conversation's.
    expect(iso(lisbon!.messages[3]!.timestamp)).toBe('2024-05-02T18:04:10');
    const [inLisbon] = importText('conversations.json', text, {
      timeZone: 'Europe/Lisbon',
    }).conversations;
    expect(iso(inLisbon!.messages[0]!.timestamp)).toBe('2024-05-02T19:04:11.250000');
  });

  it('turns one broken conversation into a warning and keeps the others', () => {
    const result = importText('conversations.json', text, { timeZone: 'UTC' });
    expect(result.conversations.map((conversation) => conversation.title)).toEqual([
      'Lisbon trip planning',
      'Back stretch',
    ]);
    expect(result.warnings).toEqual([
      'conversation 2 ("Broken export entry") skipped: not a ChatGPT conversation: mapping.n1.parent: Invalid input: expected string, received number',
    ]);
    const stretch = result.conversations[1]!;
    expect(stretch.messages.map((message) => iso(message.timestamp))).toEqual([
      '2024-07-14T21:15:30',
      '2024-07-14T21:15:30',
    ]);
  });

  it('falls back to the latest leaf when current_node is missing', () => {
    const data = JSON.parse(text) as Record<string, unknown>[];
    delete data[0]!.current_node;
    const [lisbon] = importText('conversations.json', JSON.stringify(data[0]), {
      timeZone: 'UTC',
    }).conversations;
    expect(lisbon!.messages.at(-1)!.sourceRef).toBe('u3-d2e8');
  });
});

describe('Claude export', () => {
  const text = fixture('claude-conversations.json');

  it('reads text, and the text parts when text is empty', () => {
    const result = importText('conversations.json', text, { timeZone: 'UTC' });
    expect(result.format).toBe('claude-export');
    const [sourdough] = result.conversations;
    expect(sourdough!.id).toBe('claude:4f1c2a7e-8d3b-4e6f-9a01-2b3c4d5e6f70');
    expect(sourdough!.title).toBe('Sourdough starter troubleshooting');
    expect(sourdough!.participants).toEqual(['User', 'Claude']);
    expect(sourdough!.messages.map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
    expect(sourdough!.messages[2]!.text).toBe(
      'Thanks! I use whole rye flour, by the way.\n\nDoes that change the ratio?',
    );
    expect(sourdough!.messages[3]!.text).toBe(
      'Rye absorbs more water, so try 1:1:1.2 (starter:flour:water).',
    );
    expect(sourdough!.messages[0]!.sourceRef).toBe('m-01');
  });

  it('converts created_at to wall-clock time in the chosen zone', () => {
    const [utc] = importText('c.json', text, { timeZone: 'UTC' }).conversations;
    expect(iso(utc!.messages[0]!.timestamp)).toBe('2024-09-10T08:12:03.418000');
    const [tokyo] = importText('c.json', text, { timeZone: 'Asia/Tokyo' }).conversations;
    expect(iso(tokyo!.messages[0]!.timestamp)).toBe('2024-09-10T17:12:03.418000');
  });

  it('warns about a conversation with no messages', () => {
    const result = importText('conversations.json', text, { timeZone: 'UTC' });
    expect(result.conversations).toHaveLength(1);
    expect(result.warnings).toEqual(['conversation 2 skipped: it has no messages with text']);
  });
});

describe('LongMemEval', () => {
  it('stamps the k-th user message of a session at start + 0.5 s × (k − 1)', () => {
    const result = importText('item.json', fixture('longmemeval-item.json'));
    expect(result.format).toBe('longmemeval');
    const [conversation] = result.conversations;
    expect(conversation!.id).toBe('longmemeval:e47becba');
    expect(userMessages(conversation!).map((message) => iso(message.timestamp))).toEqual([
      '2023-05-20T02:21:00',
      '2023-05-20T02:21:00.500000',
      '2023-05-26T09:30:00',
      '2023-05-26T09:30:00.500000',
      '2023-05-26T09:30:01',
    ]);
    // An assistant reply carries the time of the user message it answers.
    expect(
      conversation!.messages
        .filter((message) => message.role === 'assistant')
        .map((message) => iso(message.timestamp)),
    ).toEqual([
      '2023-05-20T02:21:00',
      '2023-05-20T02:21:00.500000',
      '2023-05-26T09:30:00',
      '2023-05-26T09:30:00.500000',
    ]);
    expect(conversation!.messages[4]!.sourceRef).toBe('answer_280352e9#0');
  });

  it('imports a list as one conversation per item, skipping a session with an unreadable date', () => {
    const result = importText('longmemeval_s.json', fixture('longmemeval-list.json'));
    expect(result.conversations.map((conversation) => conversation.id)).toEqual([
      'longmemeval:e47becba',
      'longmemeval:gpt4_2655b836',
    ]);
    expect(result.conversations[1]!.messages).toHaveLength(4);
    expect(result.warnings).toEqual([
      'gpt4_2655b836: session answer_280352e9 skipped: unreadable date "sometime in May"',
    ]);
  });
});

describe('ShareGPT', () => {
  it('reads a JSON list, skips the system turn, and assumes the import time', () => {
    const result = importText('sharegpt.json', fixture('sharegpt.json'), { now });
    expect(result.format).toBe('sharegpt');
    expect(result.conversations.map((conversation) => conversation.id)).toEqual([
      'sharegpt:QWJhYtR_0',
      'sharegpt:kP9xWm2_1',
    ]);
    const [greyhound] = result.conversations;
    expect(greyhound!.messages.map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
    expect(greyhound!.assumedTimestamps).toEqual({ date: now, reason: 'import-time' });
    expect(userMessages(greyhound!).map((message) => iso(message.timestamp))).toEqual([
      '2024-10-01T12:00:00',
      '2024-10-01T12:00:00.500000',
    ]);
  });

  it('reads JSON Lines and reports a cut-off line as a warning', () => {
    const fallbackDate = localTimeFromParts(2023, 1, 15);
    const result = importText('sharegpt.jsonl', fixture('sharegpt.jsonl'), { fallbackDate });
    expect(result.format).toBe('sharegpt');
    expect(result.conversations).toHaveLength(2);
    expect(result.conversations[0]!.assumedTimestamps).toEqual({
      date: fallbackDate,
      reason: 'user-given',
    });
    expect(result.warnings).toEqual(['line 3 skipped: JSON ends unexpectedly']);
  });
});

describe('OpenAI-style messages', () => {
  it('reads JSON Lines of {messages}, with string or part content, skipping system and tool turns', () => {
    const result = importText('chats.jsonl', fixture('openai-messages.jsonl'), { now });
    expect(result.format).toBe('openai-messages');
    const [allergy, reminder] = result.conversations;
    expect(allergy!.messages.map((message) => message.sourceRef)).toEqual([
      'messages[1]',
      'messages[2]',
      'messages[3]',
      'messages[4]',
    ]);
    expect(allergy!.messages[2]!.text).toBe('Good idea.\n\nCan you write the card text for me?');
    expect(reminder!.messages.map((message) => `${message.role}: ${message.text}`)).toEqual([
      "user: Remind me: my sister's birthday is on 14 August.",
      "assistant: Done — I'll remind you on 14 August.",
    ]);
  });

  it('reads a bare array of messages as one conversation, with the same id as in the JSONL file', () => {
    const bare = importText('messages.json', fixture('openai-bare.json'), { now });
    expect(bare.format).toBe('openai-messages');
    expect(bare.conversations).toHaveLength(1);
    const fromJsonl = importText('chats.jsonl', fixture('openai-messages.jsonl'), { now });
    expect(bare.conversations[0]!.id).toBe(fromJsonl.conversations[0]!.id);
  });
});

describe('detection of JSON formats', () => {
  it.each([
    ['chatgpt-conversations.json', 'chatgpt-export'],
    ['claude-conversations.json', 'claude-export'],
    ['longmemeval-item.json', 'longmemeval'],
    ['longmemeval-list.json', 'longmemeval'],
    ['sharegpt.json', 'sharegpt'],
    ['sharegpt.jsonl', 'sharegpt'],
    ['openai-messages.jsonl', 'openai-messages'],
    ['openai-bare.json', 'openai-messages'],
  ])('%s is %s', (name, format) => {
    expect(detectFormat(fixture(name))).toBe(format);
  });
});
