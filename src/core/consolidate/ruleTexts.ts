import { NOT_PLAIN_ASCII } from '../search/tokenize';

/** NFKC, skipped where it cannot change anything (most memories are plain ASCII). */
const nfkc = (text: string): string => (NOT_PLAIN_ASCII.test(text) ? text.normalize('NFKC') : text);

/** Same text once spacing and Unicode forms are set aside: what "exact duplicate" compares. */
export const exactText = (content: string): string => nfkc(content).trim().replace(/\s+/g, ' ');

/** Only the letters and digits, lower-cased: texts differing only in case, punctuation or spacing. */
export const looseText = (content: string): string =>
  NOT_PLAIN_ASCII.test(content)
    ? content
        .normalize('NFKC')
        .toLowerCase()
        .replace(/[^\p{L}\p{M}\p{N}]+/gu, '')
    : // In plain ASCII the only letters and digits are a–z (once lower-cased) and 0–9.
      content.toLowerCase().replace(/[^a-z0-9]+/g, '');
