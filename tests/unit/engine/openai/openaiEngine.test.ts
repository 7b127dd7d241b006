import { describe, expect, it } from 'vitest';

import { parseAnswer } from '../../../../src/core/parse';
import { answerJsonSchema } from '../../../../src/core/schema/jsonSchema';
import {
  buildChatRequest,
  createOpenAiEndpointEngine,
  EndpointError,
  endpointOrigin,
  normalizeBaseUrl,
} from '../../../../src/engine/openai';
import { engineServers } from '../../../support/openaiEngineServers';
import { seedAnswer, seedModel as model, seedPrompt } from '../../../support/seedRecording';

const servers = engineServers();
const { engineAgainst } = servers;

describe('the chat-completions request', () => {
  it('is exactly what vLLM expects: one user message, greedy, thinking off, schema-constrained, usage streamed', async () => {
    const { engine, server } = await engineAgainst(() => ({ kind: 'answer', text: seedAnswer }), {
      apiKey: 'secret-key',
    });
    await engine.extract(seedPrompt, { maxTokens: 3000 });
    const [request] = server.chatRequests();
    expect(request?.body).toEqual({
      model,
      messages: [{ role: 'user', content: seedPrompt }],
      temperature: 0,
      max_tokens: 3000,
      chat_template_kwargs: { enable_thinking: false },
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'dimmem_memories', schema: answerJsonSchema, strict: true },
      },
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(request?.headers.authorization).toBe('Bearer secret-key');
    expect(request?.headers['content-type']).toBe('application/json');
  });

  it('carries the schema the way each server kind understands it', () => {
    const base = { model, prompt: 'p', maxTokens: 10, stream: false } as const;
    const fieldsOf = (guidedDecoding: Parameters<typeof buildChatRequest>[0]['guidedDecoding']) => {
      const {
        model: _m,
        messages: _p,
        temperature: _t,
        max_tokens: _x,
        chat_template_kwargs: _c,
        stream: _s,
        ...rest
      } = buildChatRequest({ ...base, guidedDecoding });
      return rest;
    };
    expect(fieldsOf('structured-outputs')).toEqual({
      structured_outputs: { json: answerJsonSchema },
    });
    expect(fieldsOf('guided-json')).toEqual({ guided_json: answerJsonSchema });
    expect(fieldsOf('json-object')).toEqual({
      response_format: { type: 'json_object', schema: answerJsonSchema },
    });
    expect(fieldsOf('none')).toEqual({});
    // Non-streaming requests ask for no stream options.
    expect(buildChatRequest({ ...base, guidedDecoding: 'none' })).not.toHaveProperty(
      'stream_options',
    );
  });

  it('merges extra body fields (e.g. Ollama’s reasoning_effort) without losing the others', () => {
    const body = buildChatRequest({
      model,
      prompt: 'p',
      maxTokens: 10,
      stream: false,
      guidedDecoding: 'json-schema',
      extraBody: { reasoning_effort: 'none' },
    });
    expect(body.reasoning_effort).toBe('none');
    expect(body.chat_template_kwargs).toEqual({ enable_thinking: false });
  });
});

/** What the fake server reports for the seed window (one token per 4 characters, rounded up). */
const seedUsage = { promptTokens: 2251, completionTokens: 1936 };

describe('OpenAI endpoint engine', () => {
  it('streams the recorded answer, reporting the text as it grows, and the server’s usage', async () => {
    const { engine } = await engineAgainst(() => ({ kind: 'answer', text: seedAnswer }));
    const seen: string[] = [];
    const result = await engine.extract(seedPrompt, {
      maxTokens: 3000,
      onText: (text) => seen.push(text),
    });
    expect(result.text).toBe(seedAnswer);
    expect(result.finishReason).toBe('stop');
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.every((text, i) => i === 0 || text.startsWith(seen[i - 1]!))).toBe(true);
    // The fake server counts a token per 4 characters: 9,001 of prompt, 7,743 of answer.
    expect(result.usage).toEqual(seedUsage);
    expect(result.timings.decodeTokensPerSecond).not.toBeNull();
    expect(parseAnswer(result.text).memories).toHaveLength(16);
    expect(engine.status()).toEqual({ state: 'ready', modelId: model });
  });

  it('reads a non-streamed answer the same way', async () => {
    const { engine, server } = await engineAgainst(() => ({ kind: 'answer', text: seedAnswer }), {
      stream: false,
    });
    const result = await engine.extract(seedPrompt, { maxTokens: 3000 });
    expect(result.text).toBe(seedAnswer);
    expect(result.usage).toEqual(seedUsage);
    expect(server.chatRequests()[0]?.body?.stream).toBe(false);
  });

  it('says when the answer was cut by max_tokens', async () => {
    const cut = seedAnswer.slice(0, 900);
    const { engine } = await engineAgainst(() => ({
      kind: 'answer',
      text: cut,
      finishReason: 'length',
    }));
    const result = await engine.extract(seedPrompt, { maxTokens: 200 });
    expect(result.finishReason).toBe('length');
    const parsed = parseAnswer(result.text);
    expect(parsed.complete).toBe(false);
    expect(parsed.memories.length).toBeGreaterThan(0);
  });

  it('reports a server error with its status and message; 5xx is worth retrying, 4xx is not', async () => {
    let status = 503;
    const { engine } = await engineAgainst(() => ({
      kind: 'error',
      status,
      message: 'overloaded',
    }));
    const unavailable = await engine
      .extract('p', { maxTokens: 10 })
      .catch((error: unknown) => error);
    expect(unavailable).toBeInstanceOf(EndpointError);
    expect((unavailable as EndpointError).status).toBe(503);
    expect((unavailable as EndpointError).retryable).toBe(true);
    expect((unavailable as EndpointError).message).toContain('overloaded');
    status = 400;
    const bad = (await engine
      .extract('p', { maxTokens: 10 })
      .catch((error: unknown) => error)) as EndpointError;
    expect(bad.retryable).toBe(false);
  });

  it('gives up on a server that stays silent, as a retryable timeout', async () => {
    const { engine } = await engineAgainst(() => ({ kind: 'hang' }), { idleTimeoutMs: 150 });
    const error = (await engine
      .extract('p', { maxTokens: 10 })
      .catch((e: unknown) => e)) as EndpointError;
    expect(error).toBeInstanceOf(EndpointError);
    expect(error.kind).toBe('timeout');
    expect(error.retryable).toBe(true);
  });

  it('treats a stream cut before its end as a lost connection, not as an answer', async () => {
    const { engine } = await engineAgainst(() => ({
      kind: 'cut',
      text: seedAnswer.slice(0, 500),
    }));
    const error = (await engine
      .extract('p', { maxTokens: 10 })
      .catch((e: unknown) => e)) as EndpointError;
    expect(error).toBeInstanceOf(EndpointError);
    expect(error.kind).toBe('network');
  });

  it('returns what it has with finishReason abort when the caller cancels', async () => {
    const { engine } = await engineAgainst(() => ({ kind: 'hang' }));
    const controller = new AbortController();
    const pending = engine.extract('p', { maxTokens: 10, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const result = await pending;
    expect(result.finishReason).toBe('abort');
    expect(result.text).toBe('');
  });

  it('keeps the text streamed before a cancel', async () => {
    const { engine } = await engineAgainst(() => ({ kind: 'answer', text: seedAnswer }), {});
    const controller = new AbortController();
    const result = await engine.extract(seedPrompt, {
      maxTokens: 3000,
      signal: controller.signal,
      onText: (text) => {
        if (text.length > 1000) controller.abort();
      },
    });
    expect(result.finishReason).toBe('abort');
    expect(result.text.length).toBeGreaterThan(1000);
    expect(seedAnswer.startsWith(result.text)).toBe(true);
    expect(result.text.length).toBeLessThan(seedAnswer.length);
  });

  it('refuses to load a model the server does not serve, naming the ones it does', async () => {
    const server = await servers.start({ respond: () => ({ kind: 'hang' }), models: [model] });
    const engine = createOpenAiEndpointEngine({ baseUrl: server.baseUrl });
    await expect(engine.load('other/model', () => {})).rejects.toThrow(
      /serves: wtqiu\/DimMem-4B-Longmemeval/,
    );
    expect(engine.status().state).toBe('error');
  });

  it('reports an unreachable server as a network error', async () => {
    const { baseUrl } = await servers.start({ respond: () => ({ kind: 'hang' }) });
    await servers.close();
    const engine = createOpenAiEndpointEngine({ baseUrl });
    const error = (await engine.load(model, () => {}).catch((e: unknown) => e)) as EndpointError;
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/Could not reach/);
  });
});

describe('endpoint URLs', () => {
  it('adds /v1 to a bare origin and keeps an explicit path', () => {
    expect(normalizeBaseUrl('http://127.0.0.1:8000')).toBe('http://127.0.0.1:8000/v1');
    expect(normalizeBaseUrl('http://gpu-box:8080/v1/')).toBe('http://gpu-box:8080/v1');
    expect(normalizeBaseUrl('https://example.org/openai/v1')).toBe('https://example.org/openai/v1');
    expect(() => normalizeBaseUrl('ftp://x')).toThrow(/http/);
    expect(endpointOrigin('http://gpu-box:8080/v1')).toBe('http://gpu-box:8080');
  });
});
