import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';

import { describe, expect, it } from 'vitest';

import {
  connectPolicyMarker,
  connectSourceShape,
  connectSourcesStorageKey,
  defaultConnectSourcesMetaName,
} from '../../../../src/engine/csp/connectSources';

const script = readFileSync(
  path.resolve(__dirname, '../../../../public/connect-policy.js'),
  'utf8',
);

interface FakeMeta {
  httpEquiv: string;
  content: string;
  attributes: Map<string, string>;
  setAttribute(name: string, value: string): void;
}

/** Runs public/connect-policy.js against a minimal document and storage; returns what it added. */
function runPolicyScript(options: {
  defaults?: string;
  stored?: string | null;
  storageThrows?: boolean;
}): FakeMeta[] {
  const appended: FakeMeta[] = [];
  const document = {
    querySelector(selector: string) {
      if (selector !== `meta[name="${defaultConnectSourcesMetaName}"]`) return null;
      return options.defaults === undefined
        ? null
        : { getAttribute: (name: string) => (name === 'content' ? options.defaults : null) };
    },
    createElement(): FakeMeta {
      const attributes = new Map<string, string>();
      return {
        httpEquiv: '',
        content: '',
        attributes,
        setAttribute: (name, value) => attributes.set(name, value),
      };
    },
    head: { appendChild: (meta: FakeMeta) => appended.push(meta) },
  };
  const localStorage = {
    getItem(key: string) {
      if (options.storageThrows) throw new Error('SecurityError');
      return key === connectSourcesStorageKey ? (options.stored ?? null) : null;
    },
  };
  runInNewContext(script, { document, window: { localStorage } });
  return appended;
}

const defaults = 'https://huggingface.co https://*.huggingface.co https://*.hf.co';

describe('public/connect-policy.js', () => {
  it('adds a connect-src policy with the build defaults and the saved sources', () => {
    const [meta, ...rest] = runPolicyScript({
      defaults,
      stored: JSON.stringify(['http://127.0.0.1:8000', 'https://models.example.org']),
    });
    expect(rest).toEqual([]);
    expect(meta!.httpEquiv).toBe('Content-Security-Policy');
    expect(meta!.attributes.has(connectPolicyMarker)).toBe(true);
    expect(meta!.content).toBe(
      `connect-src 'self' blob: data: ${defaults} http://127.0.0.1:8000 https://models.example.org`,
    );
  });

  it('with nothing saved, or storage blocked, allows the app and the defaults only', () => {
    expect(runPolicyScript({ defaults })[0]!.content).toBe(
      `connect-src 'self' blob: data: ${defaults}`,
    );
    expect(runPolicyScript({ defaults, storageThrows: true })[0]!.content).toBe(
      `connect-src 'self' blob: data: ${defaults}`,
    );
    expect(runPolicyScript({ stored: '{not json' })[0]!.content).toBe(
      "connect-src 'self' blob: data:",
    );
  });

  it('keeps exactly the sources the app’s own shape accepts, so a tampered list widens nothing', () => {
    const candidates = [
      'https://ok.example.org',
      'https://*.hf.co',
      'https://ok.example.org:8443',
      'http://127.0.0.1:8000',
      'http://localhost:11434',
      'http://localhost',
      'https:',
      '*',
      "'unsafe-inline'",
      'http://192.168.1.2:8000',
      'https://a.org/path',
      'https://a.org https://b.org',
      "https://a.org; script-src 'unsafe-inline'",
      'ws://127.0.0.1:1',
      'https://*',
      'HTTPS://UPPER.example',
      42,
    ];
    const [meta] = runPolicyScript({ stored: JSON.stringify(candidates) });
    const kept = meta!.content.split(' ').slice(4);
    const expected = candidates.filter(
      (candidate): candidate is string =>
        typeof candidate === 'string' && connectSourceShape.test(candidate),
    );
    expect(kept).toEqual(expected);
    expect(expected).toEqual([
      'https://ok.example.org',
      'https://*.hf.co',
      'https://ok.example.org:8443',
      'http://127.0.0.1:8000',
      'http://localhost:11434',
      'http://localhost',
    ]);
  });
});
