import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * TEST ONLY: a tiny OpenAI chat-completions server on 127.0.0.1 (random port). It speaks the
 * protocol as vLLM does — JSON answers, SSE streams with `data: …` chunks, a usage chunk when
 * `stream_options.include_usage` is set, and `data: [DONE]` — and answers whatever the test's
 * `respond` callback says: a recorded answer, an error status, or silence (to provoke timeouts).
 * It records every request and the most requests it ever had in flight at once.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (`undefined` for GET). */
  body: Record<string, unknown> | undefined;
}

export type Reply =
  | {
      kind: 'answer';
      text: string;
      finishReason?: 'stop' | 'length';
      /** Wait this long before answering (lets requests overlap, so concurrency shows). */
      delayMs?: number;
    }
  | {
      kind: 'error';
      status: number;
      message?: string;
      delayMs?: number;
      /** Extra response headers, e.g. `Retry-After`. */
      headers?: Record<string, string>;
    }
  /** Exactly this status, headers and body (a server that ignores `stream`, an HTML page …). */
  | { kind: 'raw'; status: number; headers: Record<string, string>; body: string; delayMs?: number }
  /** An SSE stream that sends only `: keep-alive` comments, every `everyMs`, and never an answer. */
  | { kind: 'keepalive'; everyMs: number }
  /** Never answer; the connection stays open until the client gives up. */
  | { kind: 'hang' }
  /** Send part of a stream, then cut the connection. */
  | { kind: 'cut'; text: string };

export interface ChatCall {
  request: RecordedRequest;
  /** The prompt (the single user message). */
  prompt: string;
  /** How many times this same prompt was asked before (0 on the first attempt). */
  attempt: number;
}

export interface OpenAiTestServerOptions {
  respond: (call: ChatCall) => Reply | Promise<Reply>;
  /** Ids listed by `GET /v1/models`. */
  models?: string[];
  /** Characters per streamed chunk. */
  chunkChars?: number;
  /**
   * CORS, as vLLM sends it by default: `Access-Control-Allow-Origin` on every answer and preflight
   * (`OPTIONS`) requests answered, not recorded. Unset: no CORS headers, so a browser page on
   * another origin cannot read the answers.
   */
  allowOrigin?: string;
}

export interface OpenAiTestServer {
  /** `http://127.0.0.1:PORT/v1` */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Chat-completion requests only, in arrival order. */
  chatRequests(): RecordedRequest[];
  readonly maxInFlight: number;
  close(): Promise<void>;
}

/** Token counts are not measured here; the server reports a rough one (4 characters a token). */
const roughTokens = (text: string) => Math.ceil(text.length / 4);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startOpenAiTestServer(
  options: OpenAiTestServerOptions,
): Promise<OpenAiTestServer> {
  const requests: RecordedRequest[] = [];
  const attempts = new Map<string, number>();
  const chunkChars = options.chunkChars ?? 40;
  let inFlight = 0;
  let maxInFlight = 0;

  const server = createServer((req, res) => {
    if (options.allowOrigin !== undefined) {
      res.setHeader('Access-Control-Allow-Origin', options.allowOrigin);
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
          'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '*',
          'Access-Control-Max-Age': '600',
        });
        res.end();
        return;
      }
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const request: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>),
      };
      requests.push(request);
      if (request.method === 'GET' && request.path === '/v1/models') {
        sendJson(res, 200, {
          object: 'list',
          data: (options.models ?? []).map((id) => ({ id, object: 'model', owned_by: 'test' })),
        });
        return;
      }
      if (request.method !== 'POST' || request.path !== '/v1/chat/completions') {
        sendJson(res, 404, { error: { message: `No route ${request.method} ${request.path}` } });
        return;
      }
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      let finished = false;
      const finish = () => {
        if (!finished) inFlight -= 1;
        finished = true;
      };
      res.on('close', finish);
      void answer(request, res).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: { message: String(error) } });
        else res.destroy();
      });
    });
  });

  async function answer(request: RecordedRequest, res: ServerResponse): Promise<void> {
    const body = request.body ?? {};
    const messages = body.messages as { content: string }[];
    const prompt = messages[0]?.content ?? '';
    const attempt = attempts.get(prompt) ?? 0;
    attempts.set(prompt, attempt + 1);
    const reply = await options.respond({ request, prompt, attempt });
    if (reply.kind === 'hang') return;
    if ('delayMs' in reply && reply.delayMs) await sleep(reply.delayMs);
    if (res.destroyed) return;
    if (reply.kind === 'error') {
      sendJson(
        res,
        reply.status,
        {
          object: 'error',
          message: reply.message ?? `test server error ${reply.status}`,
          type: 'InternalServerError',
          code: reply.status,
        },
        reply.headers,
      );
      return;
    }
    if (reply.kind === 'raw') {
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body);
      return;
    }
    if (reply.kind === 'keepalive') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      while (!res.destroyed) {
        res.write(': keep-alive\n\n');
        await sleep(reply.everyMs);
      }
      return;
    }
    const model = String(body.model);
    const usage = {
      prompt_tokens: roughTokens(prompt),
      completion_tokens: roughTokens(reply.text),
    };
    const finishReason = reply.kind === 'answer' ? (reply.finishReason ?? 'stop') : null;
    if (body.stream !== true) {
      sendJson(res, 200, {
        id: 'chatcmpl-test',
        object: 'chat.completion',
        created: 0,
        model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: reply.text },
            finish_reason: finishReason,
          },
        ],
        usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
      });
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 0, model, choices, ...extra })}\n\n`;
    res.write(
      chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
    );
    for (let at = 0; at < reply.text.length; at += chunkChars) {
      const content = reply.text.slice(at, at + chunkChars);
      res.write(chunk([{ index: 0, delta: { content }, finish_reason: null }]));
      await sleep(0);
      if (res.destroyed) return;
    }
    if (reply.kind === 'cut') {
      res.destroy();
      return;
    }
    res.write(chunk([{ index: 0, delta: {}, finish_reason: finishReason }]));
    const streamOptions = body.stream_options as { include_usage?: boolean } | undefined;
    if (streamOptions?.include_usage) res.write(chunk([], { usage }));
    res.end('data: [DONE]\n\n');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    chatRequests: () => requests.filter((r) => r.path === '/v1/chat/completions'),
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(text);
}
