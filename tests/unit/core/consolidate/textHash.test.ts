import { describe, expect, it } from 'vitest';

import { exactText, looseText } from '../../../../src/core/consolidate';
import { seededRandom } from '../../../../src/core/seededRandom';
import { hashText, ruleTextHashes } from '../../../../src/core/consolidate/textHash';

/** Pieces that spacing, NFKC, lower-casing or the letter classes treat specially. */
const pieces = [
  ' ',
  '  ',
  '\t',
  '\n',
  '\r',
  '\r\n',
  '\v',
  '\f',
  '\u00a0',
  '\u2028',
  '\u2029',
  '\u3000',
  '\u200b',
  '\ufeff',
  '\u0085',
  '\u0000',
  '\u001f',
  '\u007f',
  'a',
  'Z',
  'z',
  '0',
  '9',
  '@',
  '[',
  '`',
  '{',
  '~',
  '-',
  '.',
  ',',
  "'",
  'ﬁ',
  'ﬂ',
  'Ａ',
  'ｚ',
  '１',
  '①',
  '½',
  'ǅ',
  'İ',
  'ß',
  'Σ',
  'ς',
  'é',
  'e\u0301',
  '\u0301',
  '\u0308',
  'Å',
  'Ω',
  'ℌ',
  '㍿',
  'ｶﾞ',
  '𝔪',
  '\ud835',
  '\udd2a',
  '\udc00',
  '\ud800',
  '😀',
  '🇫🇷',
  'ⅷ',
  '²',
  '١',
  '٫',
  '\u0660',
];

/** Random text: pieces above, plain ASCII, and any UTF-16 code unit (lone surrogates too). */
function hostileText(random: () => number): string {
  const length = Math.floor(random() * 24);
  let text = '';
  for (let i = 0; i < length; i++) {
    const roll = random();
    if (roll < 0.45) text += pieces[Math.floor(random() * pieces.length)]!;
    else if (roll < 0.8) text += String.fromCharCode(0x09 + Math.floor(random() * 0x76));
    else if (roll < 0.9) text += String.fromCharCode(Math.floor(random() * 0x10000));
    else text += String.fromCodePoint(Math.floor(random() * 0x110000));
  }
  return text;
}

const fixed = [
  '',
  ' ',
  '\t\r\n',
  'The user lives in Berlin.',
  '  The user  lives\tin\nBerlin.  ',
  'THE USER LIVES IN BERLIN',
  'Ｔｈｅ ｕｓｅｒ ｌｉｖｅｓ',
  'ﬁne ﬂowers',
  'the\u00a0user\u2028lives\vin\fBerlin',
  '\u00a0leading and trailing\u3000',
  'e\u0301 versus é',
  'lone \ud835 surrogate \udc00',
  '\r\n\r\n',
  'a\u0000b',
];

describe('the rule texts’ hashes in one pass', () => {
  it('equal the hashes of exactText and looseText, for hostile and plain texts', () => {
    const random = seededRandom(2024);
    const texts = [...fixed];
    for (let i = 0; i < 20_000; i++) texts.push(hostileText(random));
    // Plain ASCII only (the path that builds no text): spaces, tabs, CR, LF and printables.
    for (let i = 0; i < 5_000; i++) {
      let text = '';
      const length = Math.floor(random() * 30);
      for (let k = 0; k < length; k++)
        text +=
          random() < 0.3
            ? ' \t\n\r'[Math.floor(random() * 4)]!
            : String.fromCharCode(0x20 + Math.floor(random() * 0x5f));
      texts.push(text);
    }
    for (const text of texts) {
      const hashes = ruleTextHashes(text, { exact: 0, loose: 0 });
      expect({ text, ...hashes }).toEqual({
        text,
        exact: hashText(exactText(text)),
        loose: hashText(looseText(text)),
      });
    }
  });

  it('exactText and looseText are the texts the rules always compared', () => {
    const random = seededRandom(7);
    const texts = [...fixed, ...Array.from({ length: 20_000 }, () => hostileText(random))];
    for (const text of texts) {
      expect(exactText(text)).toBe(text.normalize('NFKC').trim().replace(/\s+/g, ' '));
      expect(looseText(text)).toBe(
        text
          .normalize('NFKC')
          .toLowerCase()
          .replace(/[^\p{L}\p{M}\p{N}]+/gu, ''),
      );
    }
  });

  it('tells texts apart that the rules tell apart', () => {
    const one = ruleTextHashes('The user lives in Berlin.', { exact: 0, loose: 0 });
    const other = ruleTextHashes('The user lives in Lisbon.', { exact: 0, loose: 0 });
    expect(one.exact).not.toBe(other.exact);
    expect(one.loose).not.toBe(other.loose);
    // Spacing and case set aside: the same loose text, another exact text.
    const shouted = ruleTextHashes(' THE USER LIVES IN BERLIN ', { exact: 0, loose: 0 });
    expect(shouted.loose).toBe(one.loose);
    expect(shouted.exact).not.toBe(one.exact);
  });
});
