import { z } from 'zod';

/**
 * How the answer is constrained to the schema. Servers differ:
 * - `json-schema`: OpenAI's `response_format: {type: 'json_schema', …}` (vLLM, recent llama.cpp,
 *   Ollama ≥ 0.5, LM Studio). The default.
 * - `structured-outputs`: vLLM ≥ 0.12's own `structured_outputs: {json: schema}`.
 * - `guided-json`: vLLM < 0.12's `guided_json: schema` (removed in vLLM 0.12).
 * - `json-object`: `response_format: {type: 'json_object', schema}` (older llama.cpp servers).
 * - `none`: no constraint; the prompt alone asks for JSON and the parser keeps malformed answers aside.
 */
export const guidedDecodingModes = [
  'json-schema',
  'structured-outputs',
  'guided-json',
  'json-object',
  'none',
] as const;
export type GuidedDecodingMode = (typeof guidedDecodingModes)[number];

/** Everything the endpoint engine needs besides the model name (which `load(modelId)` gives). */
export const endpointSettingsSchema = z.strictObject({
  /** OpenAI-style base URL, e.g. `http://127.0.0.1:8000/v1`; a bare origin gets `/v1`. */
  baseUrl: z.string().min(1),
  /** Sent as `Authorization: Bearer …` when set. Never persisted by the CLI. */
  apiKey: z.string().optional(),
  guidedDecoding: z.enum(guidedDecodingModes).default('json-schema'),
  /** Stream the answer (SSE) so memories appear as they are written. */
  stream: z.boolean().default(true),
  /** A request fails when the server sends nothing for this long (ms). */
  idleTimeoutMs: z.number().int().positive().default(300_000),
  /** Extra top-level fields merged into every request body (e.g. `{"reasoning_effort": "none"}`). */
  extraBody: z.record(z.string(), z.unknown()).optional(),
});

export type EndpointSettingsInput = z.input<typeof endpointSettingsSchema>;
export type EndpointSettings = z.output<typeof endpointSettingsSchema>;

/**
 * The base URL without a trailing slash; `http://host:8000` and `http://host:8000/` become
 * `http://host:8000/v1`, the path every OpenAI-compatible server serves. Throws on a non-HTTP URL.
 */
export function normalizeBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    throw new TypeError(`Not a URL: "${baseUrl}". Expected e.g. http://127.0.0.1:8000/v1.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`The endpoint must be http:// or https://, got "${baseUrl}".`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path === '' ? '/v1' : path}`;
}

/** The origin the browser must be allowed to connect to (for the CSP's `connect-src`). */
export function endpointOrigin(baseUrl: string): string {
  return new URL(normalizeBaseUrl(baseUrl)).origin;
}
