import { exactText, looseText, NOT_PLAIN_ASCII } from './ruleTexts';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

const step = (hash: number, code: number) => Math.imul(hash ^ code, FNV_PRIME);

/** FNV-1a over UTF-16 code units: equal texts, equal hashes. */
export function hashText(text: string, hash = FNV_OFFSET): number {
  for (let i = 0; i < text.length; i++) hash = step(hash, text.charCodeAt(i));
  return hash;
}

const isAsciiSpace = (code: number) =>
  code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;

/**
 * `hashText(exactText(content))`, without building the text when the content is plain ASCII:
 * spaces at either end left out, each run of spaces inside counted as one space.
 */
export function exactTextHash(content: string): number {
  if (NOT_PLAIN_ASCII.test(content)) return hashText(exactText(content));
  let hash = FNV_OFFSET;
  let started = false;
  let space = false;
  for (let i = 0; i < content.length; i++) {
    const code = content.charCodeAt(i);
    if (isAsciiSpace(code)) {
      space = started;
      continue;
    }
    if (space) hash = step(hash, 0x20);
    hash = step(hash, code);
    started = true;
    space = false;
  }
  return hash;
}

/**
 * `hashText(looseText(content))`, without building the text when the content is plain ASCII: its
 * letters lower-cased and its digits, nothing else.
 */
export function looseTextHash(content: string): number {
  if (NOT_PLAIN_ASCII.test(content)) return hashText(looseText(content));
  let hash = FNV_OFFSET;
  for (let i = 0; i < content.length; i++) {
    const code = content.charCodeAt(i);
    if (code >= 0x41 && code <= 0x5a) hash = step(hash, code + 0x20);
    else if ((code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39))
      hash = step(hash, code);
  }
  return hash;
}
