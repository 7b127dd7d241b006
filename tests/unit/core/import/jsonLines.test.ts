import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { importText } from '../../../../src/core/import';
import { localTimeFromParts } from '../../../../src/core/time/localTime';
import { importErrorOf } from '../../../support/importErrorOf';

const fixture = (name: string) =>
  readFileSync(path.resolve(__dirname, '../../../fixtures/import', name), 'utf8');
const now = localTimeFromParts(2026, 1, 15, 12, 0, 0);

describe('JSON Lines with bad lines', () => {
  it('skips a bad first line, a number and a string, each named by its own line number', () => {
    const result = importText('chats.jsonl', fixture('openai-messages-bad-lines.jsonl'), { now });
    expect(result.format).toBe('openai-messages');
    expect(result.conversations.map((conversation) => conversation.sourceRef)).toEqual([
      'allergy',
      'bike',
    ]);
    expect(result.warnings).toEqual([
      'line 1 skipped: JSON ends unexpectedly',
      'line 3 skipped: a number, not a JSON object',
      'line 6 skipped: a string, not a JSON object',
    ]);
  });

  it('takes a file whose only good line is not the first', () => {
    const text =
      '{"messages": [\n{"messages": [{"role": "user", "content": "I live in Ghent."}]}\n';
    const result = importText('chats.jsonl', text, { now });
    expect(result.conversations).toHaveLength(1);
    expect(result.warnings).toEqual(['line 1 skipped: JSON ends unexpectedly']);
  });

  it('refuses a file with no usable line, naming what was wrong with the first', () => {
    const error = importErrorOf(() =>
      importText('chats.jsonl', '{"messages": [\n42\n"x"\n', { now }),
    );
    expect(error.message).toMatch(/^chats\.jsonl: not a supported chat format \(tried .*\): /);
  });

  it('still reports a broken JSON document (not JSON Lines) at the line of its error', () => {
    const pretty = fixture('chatgpt-conversations.json');
    const at = pretty.indexOf('"current_node"');
    const broken = `${pretty.slice(0, at)}${pretty.slice(at + 1)}`; // one quote gone
    const brokenLine = pretty.slice(0, at).split('\n').length;
    const error = importErrorOf(() => importText('conversations.json', broken));
    expect(error.reason).toMatch(new RegExp(`^invalid JSON at line ${brokenLine}, column \\d+`));
  });
});
