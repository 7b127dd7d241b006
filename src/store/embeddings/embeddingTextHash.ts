import { memoryEmbeddingText } from '../../core/search/embedder';
import type { SearchableMemory } from '../../core/search/types';

/**
 * A 64-bit FNV-1a hash of the text the meaning route embeds for a memory (content, reason,
 * purpose, as in core), as 16 hex digits. It only tells whether a memory's text changed since its
 * vector was computed; synchronous, so a change of 100,000 memories is checked without awaiting.
 */
export function embeddingTextHash(
  memory: Pick<SearchableMemory, 'content' | 'reason' | 'purpose'>,
): string {
  return textHash(memoryEmbeddingText(memory));
}

export function textHash(text: string): string {
  // Two 32-bit halves of FNV-1a 64 (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
  let high = 0xcbf29ce4;
  let low = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    low = (low ^ text.charCodeAt(i)) >>> 0;
    // (high, low) * 0x100000001b3 mod 2^64: low * 0x1b3, high * 0x1b3 + low << 8 (the 2^40 part).
    const lowProduct = low * 0x1b3;
    const carry = Math.floor(lowProduct / 0x100000000);
    const nextHigh = (Math.imul(high, 0x1b3) + Math.imul(low, 0x100) + carry) >>> 0;
    low = lowProduct >>> 0;
    high = nextHigh;
  }
  return high.toString(16).padStart(8, '0') + low.toString(16).padStart(8, '0');
}
