import { afterEach } from 'vitest';

import type { OpenAiTestServer, OpenAiTestServerOptions } from './openaiServer';
import { startOpenAiTestServer } from './openaiServer';

export interface ServerPerTest {
  /** Starts the test's server, closed after the test. */
  start(options: OpenAiTestServerOptions): Promise<OpenAiTestServer>;
  /** The test's server, null before it starts one. */
  readonly current: OpenAiTestServer | null;
  /** Closes the test's server now, e.g. to start another in the same test. */
  close(): Promise<void>;
}

/** One OpenAI test server at a time for the tests of a file, closed after each test. */
export function serverPerTest(): ServerPerTest {
  let server: OpenAiTestServer | null = null;
  const close = async () => {
    await server?.close();
    server = null;
  };
  afterEach(close);
  return {
    async start(options) {
      server = await startOpenAiTestServer(options);
      return server;
    },
    get current() {
      return server;
    },
    close,
  };
}
