import { loadQwen3TokenCounter } from '../../core/windows';
import type { AskService } from '../ask/askService';
import { createAskService } from '../ask/askService';
import { currentAnswerModel, runsGpuWatch } from '../ask/currentAnswerModel';
import type { ConsolidationService } from '../consolidation/consolidationService';
import { createConsolidationService } from '../consolidation/consolidationService';
import { detectionWorker } from '../consolidation/detectionWorkerClient';
import type { ConversationService } from '../conversations/conversationService';
import { createConversationService } from '../conversations/conversationService';
import { getDb } from '../db/connection';
import type { EmbeddingsService } from '../embeddings/embeddingsService';
import { createBrowserEmbeddingsService } from '../embeddings/browserEmbeddings';
import type { ExportService } from '../exchange/memoryExport';
import { createExportService } from '../exchange/memoryExport';
import type { RestoreService } from '../exchange/memoryRestore';
import { createRestoreService } from '../exchange/memoryRestore';
import type { ImportService } from '../import/importService';
import { createImportService } from '../import/importService';
import { getActiveEngine } from '../engine/modelSession';
import type { MemoryService } from '../memories/memoryService';
import { createMemoryService } from '../memories/memoryService';
import type { RunService } from '../runs/runService';
import { createRunService } from '../runs/runService';
import type { GpuLock } from '../tabs/gpuLock';
import { createGpuLock } from '../tabs/gpuLock';
import type { Publisher } from '../tabs/publish';
import { createPublisher } from '../tabs/publish';
import type { TabChannel } from '../tabs/tabChannel';
import { createTabChannel } from '../tabs/tabChannel';

/** The page's services, each built once with the page's database and `publish`. */
export interface AppServices {
  publisher: Publisher;
  channel: TabChannel;
  lock: GpuLock;
  runs: RunService;
  memories: MemoryService;
  conversations: ConversationService;
  imports: ImportService;
  restore: RestoreService;
  exports: ExportService;
  ask: AskService;
  embeddings: EmbeddingsService;
  consolidation: ConsolidationService;
}

let services: AppServices | null = null;

/**
 * The one place services are wired: this tab's database connection, tab channel, GPU lock and
 * publisher. Views call services through this; `bootApp` starts what runs in the background.
 */
export function appServices(): AppServices {
  if (services) return services;
  const channel = createTabChannel();
  const lock = createGpuLock();
  const publisher = createPublisher({ db: getDb, channel });
  const deps = { db: getDb, publish: publisher.publish };
  services = {
    publisher,
    channel,
    lock,
    runs: createRunService({
      ...deps,
      getEngine: getActiveEngine,
      loadTokenCounter: loadQwen3TokenCounter,
      lock,
      channel,
      now: () => Date.now(),
      newRunId: () => `run-${crypto.randomUUID()}`,
      // New memories may duplicate old ones: the review queue is brought up to date.
      onRunEnded: () => void services?.consolidation.detect(),
    }),
    memories: createMemoryService(deps),
    conversations: createConversationService(deps),
    imports: createImportService(deps),
    restore: createRestoreService(deps),
    exports: createExportService(deps),
    ask: createAskService({
      ...deps,
      answerModel: currentAnswerModel,
      gpu: runsGpuWatch,
      now: () => Date.now(),
      newId: () => crypto.randomUUID(),
    }),
    embeddings: createBrowserEmbeddingsService(getDb),
    consolidation: createConsolidationService({
      ...deps,
      answerModel: currentAnswerModel,
      gpu: runsGpuWatch,
      // The meaning route's model once loaded, for the candidates' contents; else lexical.
      embedder: () => services?.embeddings.embedder() ?? null,
      // Off the main thread: 100,000 memories take seconds to compare.
      runDetection: detectionWorker.detect,
      now: () => Date.now(),
    }),
  };
  return services;
}
