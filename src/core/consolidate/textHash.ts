import { NOT_PLAIN_ASCII } from '../search/tokenize';
import { exactText, looseText } from './ruleTexts';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

const step = (hash: number, code: number) => Math.imul(hash ^ code, FNV_PRIME);

/** FNV-1a over UTF-16 code units: equal texts, equal hashes. */
export function hashText(text: string, hash = FNV_OFFSET): number {
  for (let i = 0; i < text.length; i++) hash = step(hash, text.charCodeAt(i));
  return hash;
}

/** Both hashes of one content, as `ruleTextHashes` gives them. */
export interface RuleTextHashes {
  /** `hashText(exactText(content))` */
  exact: number;
  /** `hashText(looseText(content))` */
  loose: number;
}

/**
 * The hashes of a content's exact and loose texts, in one pass over its characters and without
 * building either text when the content is plain ASCII: for the exact text, spaces at either end
 * left out and each run inside counted as one space; for the loose text, only the letters
 * (lower-cased) and digits. Writes into `into`, so that 100,000 calls allocate nothing.
 */
export function ruleTextHashes(content: string, into: RuleTextHashes): RuleTextHashes {
  if (NOT_PLAIN_ASCII.test(content)) {
    into.exact = hashText(exactText(content));
    into.loose = hashText(looseText(content));
    return into;
  }
  let exact = FNV_OFFSET;
  let loose = FNV_OFFSET;
  let started = false;
  let space = false;
  for (let i = 0; i < content.length; i++) {
    const code = content.charCodeAt(i);
    if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) {
      space = started;
      continue;
    }
    if (space) exact = step(exact, 0x20);
    exact = step(exact, code);
    started = true;
    space = false;
    if (code >= 0x41 && code <= 0x5a) loose = step(loose, code + 0x20);
    else if ((code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39))
      loose = step(loose, code);
  }
  into.exact = exact;
  into.loose = loose;
  return into;
}
