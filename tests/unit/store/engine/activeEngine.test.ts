import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

import { DescribedEndpointError } from '../../../../src/engine/openai/describedEndpointError';
import { EndpointError } from '../../../../src/engine/openai/endpointError';
import { startOpenAiTestServer } from '../../../support/openaiServer';
import type { OpenAiTestServer } from '../../../support/openaiServer';

/** A Storage-like map, as localStorage and sessionStorage behave. */
function memoryStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, String(value)),
    removeItem: (key: string) => void items.delete(key),
  };
}
vi.stubGlobal('localStorage', memoryStorage());
vi.stubGlobal('sessionStorage', memoryStorage());

// Imported after the storage stubs: the store reads the saved choices when it is created.
const store = await import('../../../../src/store/engine');

const model = 'dimmem-4b-test';
/** What the server does with the next chat request. */
let reply: 'answer' | 'overloaded' = 'answer';
let server: OpenAiTestServer;

beforeAll(async () => {
  server = await startOpenAiTestServer({
    models: [model],
    respond: () =>
      reply === 'answer'
        ? { kind: 'answer', text: '{"memories": []}' }
        : { kind: 'error', status: 503, message: 'overloaded', headers: { 'Retry-After': '7' } },
  });
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  reply = 'answer';
  await store.saveEndpoint({
    baseUrl: server.baseUrl,
    model,
    guidedDecoding: 'json-schema',
    stream: true,
    apiKey: '',
    keepKeyForSession: false,
  });
  await store.connectEndpoint();
});

describe('the engine runs use', () => {
  it('records the speeds of each extraction for the status bar', async () => {
    store.useEngineStore.getState().setLastSpeed(null);
    const engine = store.getActiveEngine()!;
    const result = await engine.extract('prompt', { maxTokens: 100 });
    expect(store.useEngineStore.getState().lastSpeed).toEqual({
      prefill: result.timings.prefillTokensPerSecond,
      decode: result.timings.decodeTokensPerSecond,
    });
  });

  it('fails a window with the endpoint error still typed, in the plain words of a failed connection', async () => {
    reply = 'overloaded';
    const engine = store.getActiveEngine()!;
    const error: unknown = await engine.extract('prompt', { maxTokens: 100 }).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(DescribedEndpointError);
    const typed = error as DescribedEndpointError;
    // Still what a retry policy reads: kind, status, Retry-After, retryable.
    expect(typed).toBeInstanceOf(EndpointError);
    expect(typed.kind).toBe('http');
    expect(typed.status).toBe(503);
    expect(typed.retryAfterMs).toBe(7000);
    expect(typed.retryable).toBe(true);
    // The message the run shows: the advice naming the server, then the server's own words.
    expect(typed.failure.code).toBe('endpoint-server-error');
    expect(typed.message).toBe(`${typed.failure.advice} (${typed.failure.detail})`);
    expect(typed.message).toContain(new URL(server.baseUrl).origin);
    expect(typed.message).toContain('HTTP 503');
    expect(typed.cause).toBeInstanceOf(EndpointError);
    expect((typed.cause as EndpointError).message).toBe(typed.failure.detail);
  });

  it('is none once the user moves extraction back to the browser', async () => {
    expect(store.getActiveEngine()?.kind).toBe('openai-endpoint');
    await store.chooseRunsOn('browser');
    expect(store.getActiveEngine()).toBeNull();
    expect(store.useEngineStore.getState().load).toEqual({ state: 'idle' });
  });
});
