import { createOpenAiEndpointEngine } from '../../src/engine/openai';
import type { EndpointSettingsInput } from '../../src/engine/openai';
import type { OpenAiTestServer, Reply } from './openaiServer';
import { seedModel } from './seedRecording';
import { serverPerTest, type ServerPerTest } from './serverPerTest';

export interface EngineServers extends ServerPerTest {
  /** A server that answers as `respond` says, and an engine with `seedModel` loaded from it. */
  engineAgainst(
    respond: () => Reply,
    settings?: Partial<EndpointSettingsInput>,
  ): Promise<{ engine: ReturnType<typeof createOpenAiEndpointEngine>; server: OpenAiTestServer }>;
}

/** Engines against one OpenAI test server at a time, closed after each test. */
export function engineServers(): EngineServers {
  const servers = serverPerTest();
  return Object.assign(servers, {
    async engineAgainst(respond: () => Reply, settings: Partial<EndpointSettingsInput> = {}) {
      const server = await servers.start({ respond, models: [seedModel] });
      const engine = createOpenAiEndpointEngine({ baseUrl: server.baseUrl, ...settings });
      await engine.load(seedModel, () => {});
      return { engine, server };
    },
  });
}
