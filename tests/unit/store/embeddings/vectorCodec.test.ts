import { describe, expect, it } from 'vitest';

import { memoryEmbeddingText } from '../../../../src/core/search/embedder';
import { textHash } from '../../../../src/store/embeddings/embeddingTextHash';
import {
  decodeVector,
  encodeVector,
  encodedBytes,
} from '../../../../src/store/embeddings/vectorCodec';
import { fakeVector } from '../../../support/searchFakeEmbedder';
import { seedRecords } from './embeddingsTestSupport';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

describe('stored vector encodings', () => {
  it('int8 keeps 384 dimensions in 388 bytes and each seed memory within 0.001 of its own direction', () => {
    for (const memory of seedRecords()) {
      const vector = fakeVector(memoryEmbeddingText(memory));
      const stored = encodeVector(vector, 'int8');
      expect(stored.byteLength).toBe(encodedBytes(384, 'int8'));
      expect(stored.byteLength).toBe(388);
      const back = decodeVector(stored, 384);
      expect(dot(back, back)).toBeCloseTo(1, 5);
      expect(dot(back, vector)).toBeGreaterThan(0.999);
    }
  });

  it('float32 is exact', () => {
    const vector = fakeVector('The user bought a blue scarf for her sister.');
    const stored = encodeVector(vector, 'float32');
    expect(stored.byteLength).toBe(1536);
    expect(decodeVector(stored, 384)).toEqual(vector);
    // The stored copy is not the caller's array.
    vector[0] = 42;
    expect(decodeVector(stored, 384)[0]).not.toBe(42);
  });

  it('a zero vector stays zero; a buffer of another size is refused', () => {
    const zero = decodeVector(encodeVector(new Float32Array(384), 'int8'), 384);
    expect(zero.every((value) => value === 0)).toBe(true);
    expect(() => decodeVector(new ArrayBuffer(100), 384)).toThrow(
      /a stored vector of 100 bytes does not hold 384 dimensions/,
    );
  });
});

describe('embedded text hash', () => {
  it('is FNV-1a 64 (published test vectors)', () => {
    expect(textHash('')).toBe('cbf29ce484222325');
    expect(textHash('a')).toBe('af63dc4c8601ec8c');
    expect(textHash('foobar')).toBe('85944171f73967e8');
  });

  it('changes with any character of content, reason or purpose, including non-ASCII ones', () => {
    expect(textHash('Der Nutzer zog nach München.')).not.toBe(
      textHash('Der Nutzer zog nach Munchen.'),
    );
    expect(textHash('用户去了巴黎')).not.toBe(textHash('用户去了东京'));
  });
});
