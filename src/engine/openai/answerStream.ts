import { createParser } from 'eventsource-parser';

import type { ExtractOptions } from '../types';
import { chatCompletionChunkSchema } from './chatResponse';
import { EndpointError, StreamCutError } from './endpointError';
import type { IdleDeadline } from './idleDeadline';
import { completionFrom, parseJson, preview } from './wireAnswer';
import type { WireAnswer } from './wireAnswer';

export interface AnswerStreamInput {
  response: Response;
  url: string;
  deadline: IdleDeadline;
  /** Filled as chunks arrive, so that a cancel keeps what came. */
  answer: WireAnswer;
  onText: ExtractOptions['onText'];
  now: () => number;
}

/** Reads a streamed chat completion (server-sent events) into `answer`. */
export async function readAnswerStream(input: AnswerStreamInput): Promise<WireAnswer> {
  const { response, url, deadline, answer, onText, now } = input;
  if (response.body === null) throw new EndpointError('protocol', `${url} sent no body.`);
  let done = false;
  let events = 0;
  // Until the first event, what arrived is kept: a body with no events at all is read as a
  // whole document (a server that ignored `stream: true` without saying so in its headers).
  let beforeFirstEvent = '';
  let streamError: EndpointError | null = null;
  const parser = createParser({
    onEvent: (event) => {
      // Only events count as the server being alive; `: keep-alive` comments do not.
      deadline.touch();
      events += 1;
      if (streamError !== null || done) return;
      if (event.data === '[DONE]') {
        done = true;
        return;
      }
      const chunk = chatCompletionChunkSchema.safeParse(parseJson(event.data));
      if (!chunk.success) {
        streamError = new EndpointError('protocol', `${url} streamed: ${preview(event.data)}`);
        return;
      }
      if (chunk.data.error) {
        const status = chunk.data.error.code ?? 500;
        streamError = new EndpointError('http', `${url}: ${chunk.data.error.message}`, status);
        return;
      }
      const choice = chunk.data.choices[0];
      const delta = choice?.delta?.content ?? '';
      if (delta !== '') {
        answer.firstTokenAt ??= now();
        answer.text += delta;
        onText?.(answer.text);
      }
      if (choice?.finish_reason) answer.serverFinishReason = choice.finish_reason;
      if (chunk.data.usage) answer.usage = chunk.data.usage;
      if (chunk.data.timings) answer.serverTimings = chunk.data.timings;
    },
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    let read: ReadableStreamReadResult<string>;
    try {
      read = await reader.read();
    } catch (error) {
      // A timeout or a cancel is told apart by the caller; anything else cut the answer off.
      if (deadline.signal.aborted) throw error;
      throw new StreamCutError(url, answer.text.length, error);
    }
    if (read.done) break;
    if (events === 0) beforeFirstEvent += read.value;
    parser.feed(read.value);
    if (streamError !== null) {
      await reader.cancel();
      throw streamError;
    }
  }
  parser.reset({ consume: true });
  if (streamError !== null) throw streamError;
  if (events === 0 && beforeFirstEvent.trim() !== '') {
    return completionFrom(beforeFirstEvent, url, onText);
  }
  if (!done && answer.serverFinishReason === null) {
    // The connection closed mid-answer: what arrived is not the whole answer.
    throw new StreamCutError(url, answer.text.length);
  }
  return answer;
}
