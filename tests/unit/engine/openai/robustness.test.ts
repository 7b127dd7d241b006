import { describe, expect, it } from 'vitest';

import { parseAnswer } from '../../../../src/core/parse';
import {
  describeEndpointFailure,
  EndpointError,
  retryAfterMs,
} from '../../../../src/engine/openai';
import { type EngineServers, engineServers } from '../../../support/openaiEngineServers';
import { seedAnswer, seedPrompt } from '../../../support/seedRecording';

/**
 * Servers that misbehave the way real ones do (issue #13: 13, 14, 18, Retry-After, cut streams),
 * through the engine the CLI and the app share.
 */

const servers = engineServers();
const engineAgainst = async (...args: Parameters<EngineServers['engineAgainst']>) =>
  (await servers.engineAgainst(...args)).engine;

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (error: unknown) => error as EndpointError,
  );

/** A chat completion as vLLM writes it when not streaming. */
const plainCompletion = (text: string) =>
  JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 1200, completion_tokens: 900 },
  });

const context = { baseUrl: 'http://127.0.0.1:8000/v1', appOrigin: 'http://127.0.0.1:5173' };

describe('timeouts', () => {
  it('a timeout over the timer limit (24.8 days) does not make every request time out at once', async () => {
    // 3,000,000 s: past setTimeout's 2^31 − 1 ms, which Node and browsers turn into 1 ms.
    const engine = await engineAgainst(() => ({ kind: 'answer', text: seedAnswer, delayMs: 200 }), {
      idleTimeoutMs: 3_000_000_000,
    });
    const result = await engine.extract(seedPrompt, { maxTokens: 3000 });
    expect(result.text).toBe(seedAnswer);
  });

  it('a stream of keep-alive comments alone times out: only data restarts the idle clock', async () => {
    const engine = await engineAgainst(() => ({ kind: 'keepalive', everyMs: 40 }), {
      idleTimeoutMs: 300,
    });
    const started = Date.now();
    const error = await failureOf(engine.extract('p', { maxTokens: 10 }));
    expect(error).toBeInstanceOf(EndpointError);
    expect(error.kind).toBe('timeout');
    expect(error.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000);
  }, 10_000);
});

describe('servers that do not answer as asked', () => {
  it('accepts a plain JSON answer from a server that ignores stream: true', async () => {
    const engine = await engineAgainst(() => ({
      kind: 'raw',
      status: 200,
      headers: { 'Content-Type': 'application/json' },
      body: plainCompletion(seedAnswer),
    }));
    const seen: string[] = [];
    const result = await engine.extract(seedPrompt, {
      maxTokens: 3000,
      onText: (text) => seen.push(text),
    });
    expect(result.text).toBe(seedAnswer);
    expect(result.finishReason).toBe('stop');
    expect(result.usage).toEqual({ promptTokens: 1200, completionTokens: 900 });
    expect(parseAnswer(result.text).memories).toHaveLength(16);
    expect(seen).toEqual([seedAnswer]);
  });

  it('names an HTML page with status 200 as such, streaming or not', async () => {
    const page =
      '<!DOCTYPE html><html><head><title>Open WebUI</title></head><body>Sign in</body></html>';
    for (const stream of [true, false]) {
      const engine = await engineAgainst(
        () => ({
          kind: 'raw',
          status: 200,
          headers: { 'Content-Type': 'text/html; charset=utf-8' },
          body: page,
        }),
        { stream },
      );
      const error = await failureOf(engine.extract('p', { maxTokens: 10 }));
      expect(error.kind).toBe('protocol');
      expect(error.message).toMatch(/answered with an HTML page \("Open WebUI"\)/);
      expect(error.message).toMatch(/base URL/);
      expect(error.message).not.toMatch(/closed the stream/);
      await servers.close();
    }
  });

  it('says a stream cut mid-answer was cut, not that the server could not be reached', async () => {
    const engine = await engineAgainst(() => ({ kind: 'cut', text: seedAnswer.slice(0, 500) }));
    const error = await failureOf(engine.extract(seedPrompt, { maxTokens: 3000 }));
    expect(error.kind).toBe('network');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/cut the answer off after 500 characters/);
    expect(error.message).not.toMatch(/Could not reach|CORS/);
    const advice = describeEndpointFailure(error, context).advice;
    expect(advice).toMatch(/closed the connection in the middle of an answer/);
    expect(advice).not.toMatch(/CORS/);
  });
});

describe('Retry-After', () => {
  it('is read from a 429 or 503, in seconds or as an HTTP date, and capped', async () => {
    const engine = await engineAgainst(() => ({
      kind: 'error',
      status: 429,
      message: 'slow down',
      headers: { 'Retry-After': '7' },
    }));
    const error = await failureOf(engine.extract('p', { maxTokens: 10 }));
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(7000);

    const now = Date.parse('2026-11-30T12:00:00Z');
    expect(retryAfterMs('Mon, 30 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Mon, 30 Nov 2026 11:59:00 GMT', now)).toBe(0);
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('86400', now)).toBe(300_000);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs('-5', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });
});
