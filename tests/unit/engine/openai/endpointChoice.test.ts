import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

import { describeEndpointFailure } from '../../../../src/engine/openai/endpointAdvice';
import { EndpointError } from '../../../../src/engine/openai/endpointError';
import { connectSourcesStorageKey } from '../../../../src/engine/csp/connectSources';
import {
  endpointKeyStorageKey,
  endpointStorageKey,
  readEndpointChoice,
} from '../../../../src/store/engine/endpointStorage';
import { startOpenAiTestServer } from '../../../support/openaiServer';
import type { OpenAiTestServer } from '../../../support/openaiServer';

/** A Storage-like map, as localStorage and sessionStorage behave. */
function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, String(value)),
    removeItem: (key: string) => void items.delete(key),
  };
}

const local = memoryStorage();
const session = memoryStorage();
vi.stubGlobal('localStorage', local);
vi.stubGlobal('sessionStorage', session);

// Imported after the storage stubs: the store reads the saved choice when it is created.
const store = await import('../../../../src/store/engine');

const model = 'dimmem-4b-test';
let server: OpenAiTestServer;

beforeAll(async () => {
  server = await startOpenAiTestServer({
    models: [model],
    respond: () => ({ kind: 'answer', text: '{"memories": []}' }),
  });
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  await store.forgetEndpoint();
});

const input = (change: Partial<Parameters<typeof store.saveEndpoint>[0]> = {}) => ({
  baseUrl: server.baseUrl,
  model,
  guidedDecoding: 'json-schema' as const,
  stream: true,
  apiKey: '',
  keepKeyForSession: false,
  ...change,
});

describe('the endpoint engine in the app', () => {
  it('is saved without its API key, and its origin joins the connect-src list', async () => {
    await store.saveEndpoint(input({ apiKey: 'sk-secret' }));
    const saved = local.items.get(endpointStorageKey)!;
    expect(JSON.parse(saved)).toMatchObject({
      runsOn: 'endpoint',
      endpoint: { model, settings: { baseUrl: server.baseUrl, guidedDecoding: 'json-schema' } },
    });
    expect(saved).not.toContain('sk-secret');
    expect(session.items.has(endpointKeyStorageKey)).toBe(false);
    expect(JSON.parse(local.items.get(connectSourcesStorageKey)!)).toContain(
      new URL(server.baseUrl).origin,
    );
    expect(readEndpointChoice().endpoint?.model).toBe(model);

    // Kept for the tab's session only when asked; an empty field keeps the key held.
    await store.saveEndpoint(input({ keepKeyForSession: true }));
    expect(session.items.get(endpointKeyStorageKey)).toBe('sk-secret');
    expect(local.items.get(endpointStorageKey)).not.toContain('sk-secret');
  });

  it('connects: the active engine sends to the server and labels memories with its model', async () => {
    await store.saveEndpoint(input({ apiKey: 'sk-secret' }));
    await store.connectEndpoint();
    const load = store.useEngineStore.getState().load;
    expect(load).toMatchObject({
      state: 'ready',
      kind: 'openai-endpoint',
      modelId: model,
      sendsTo: new URL(server.baseUrl).origin,
    });
    const engine = store.getActiveEngine();
    expect(engine?.kind).toBe('openai-endpoint');
    expect(engine?.modelId).toBe(model);
    const result = await engine!.extract('prompt', { maxTokens: 100 });
    expect(result.text).toBe('{"memories": []}');
    expect(server.chatRequests().at(-1)?.headers.authorization).toBe('Bearer sk-secret');

    // Back to the browser: the endpoint is disconnected at once.
    await store.chooseRunsOn('browser');
    expect(store.getActiveEngine()).toBeNull();
    expect(JSON.parse(local.items.get(connectSourcesStorageKey)!)).not.toContain(
      new URL(server.baseUrl).origin,
    );
  });

  it('a model the server does not serve fails with advice naming the ones it does', async () => {
    await store.saveEndpoint(input({ model: 'nope' }));
    await store.connectEndpoint();
    const load = store.useEngineStore.getState().load;
    expect(load.state).toBe('error');
    if (load.state !== 'error') return;
    expect(load.failure.code).toBe('endpoint-model-missing');
    expect(load.failure.advice).toContain(`It serves: ${model}.`);
    expect(store.getActiveEngine()).toBeNull();
  });

  it('refuses plain http to another machine and an empty model name, saying what to do', async () => {
    await expect(
      store.saveEndpoint(input({ baseUrl: 'http://192.168.1.20:8000/v1' })),
    ).rejects.toThrow(/https:\/\/, or forward its port/);
    await expect(store.saveEndpoint(input({ model: '  ' }))).rejects.toThrow(/served model name/);
    await expect(store.saveEndpoint(input({ baseUrl: 'localhost:8000' }))).rejects.toThrow();
    expect(store.useEngineStore.getState().endpoint).toBeNull();
  });

  it('reads back only what the settings schema accepts, and never an API key', () => {
    local.setItem(
      endpointStorageKey,
      JSON.stringify({
        runsOn: 'endpoint',
        endpoint: { model, settings: { baseUrl: 'http://127.0.0.1:1/v1', apiKey: 'leaked' } },
      }),
    );
    const choice = readEndpointChoice();
    expect(choice.endpoint?.settings).toEqual({
      baseUrl: 'http://127.0.0.1:1/v1',
      guidedDecoding: 'json-schema',
      stream: true,
      idleTimeoutMs: 300_000,
    });
    local.setItem(
      endpointStorageKey,
      JSON.stringify({
        runsOn: 'server',
        endpoint: { model, settings: { baseUrl: 'x', guidedDecoding: 'magic' } },
      }),
    );
    expect(readEndpointChoice()).toEqual({ runsOn: 'browser', endpoint: null });
  });
});

describe('endpoint failures in plain words', () => {
  const context = { baseUrl: 'http://127.0.0.1:8000/v1', appOrigin: 'https://dimmem.example' };
  it.each([
    [
      new EndpointError('network', 'Failed to fetch'),
      'endpoint-unreachable',
      /CORS must allow https:\/\/dimmem\.example/,
    ],
    [new EndpointError('http', 'HTTP 401', 401), 'endpoint-refused', /Check the API key/],
    [new EndpointError('http', 'HTTP 404', 404), 'endpoint-not-found', /usually ends in \/v1/],
    [new EndpointError('http', 'HTTP 400', 400), 'endpoint-rejected', /guided-decoding mode/],
    [new EndpointError('http', 'HTTP 503', 503), 'endpoint-server-error', /server's log/],
    [
      new EndpointError('timeout', 'sent nothing for 300 s'),
      'endpoint-timeout',
      /overloaded or stuck/,
    ],
    [
      new EndpointError('protocol', 'no chat completion'),
      'endpoint-protocol',
      /Check the base URL/,
    ],
  ])('%s → %s', (error, code, advice) => {
    const failure = describeEndpointFailure(error, context);
    expect(failure.code).toBe(code);
    expect(failure.advice).toMatch(advice);
    expect(failure.advice).toContain('http://127.0.0.1:8000');
    expect(failure.detail).toBe(error.message);
  });
});
