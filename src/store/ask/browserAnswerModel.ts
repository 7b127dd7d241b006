import type { AppConfig } from '@mlc-ai/web-llm';

import { errorText } from '../../core/errorText';
import {
  answerModelRecord,
  qwen3AnswerModelId,
  webLlmAnswerOptions,
} from '../../engine/webllm/answerModelList';
import { WebLlmEngine } from '../../engine/webllm/webLlmEngine';
import { useEngineStore } from '../engine/engineStore';
import { refreshCacheStatus } from '../engine/cacheStatus';
import { runGpuCheck } from '../engine/gpuCheck';
import { initModelCatalog } from '../engine/modelChoice';
import { installFromUrls, setGpuRelease, swapOutExtractor } from '../engine/modelSession';
import type { AnswerModelChoice } from './answerModel';
import { writeAnswerModelSetting, type AnswerModelSetting } from './answerModelSetting';
import { useAnswerModelStore } from './answerModelStore';
import { runsGpuWatch } from './runsGpuWatch';
import { createAnswerSession, type AnswerSession } from './answerSession';
import { webLlmAnswerModel } from './webLlmAnswerModel';

let session: AnswerSession | null = null;
let prebuilt: Promise<AppConfig> | null = null;
let gpuCheck: Promise<unknown> | null = null;
let gpuCheckError: string | null = null;

/** WebLLM's prebuilt list (large: read on first use, from the chunk the Model view loads too). */
function prebuiltList(): Promise<AppConfig> {
  prebuilt ??= import('@mlc-ai/web-llm').then((webllm) => webllm.prebuiltAppConfig);
  return prebuilt;
}

/** This tab's answer session, its unload registered to run before DimMem loads. */
export function answerSession(): AnswerSession {
  if (session) return session;
  const created = createAnswerSession({
    createEngine: (records, prepare) => new WebLlmEngine({ records, prepare }),
    install: installFromUrls,
    swapOutExtractor,
    gpu: runsGpuWatch,
    onStatus: (status) => {
      useAnswerModelStore.getState().setSwap(status);
      // What the download left in the cache, for the choice's "downloaded".
      if (status.state === 'ready' || status.state === 'error') void refreshCacheStatus();
    },
  });
  setGpuRelease(() => created.release());
  session = created;
  return created;
}

/** Checks the GPU once (as the Model view does), when a model in this browser is chosen. */
export function ensureGpuChecked(): void {
  if (useEngineStore.getState().gpu.state !== 'unchecked' || gpuCheck) return;
  gpuCheckError = null;
  gpuCheck = runGpuCheck()
    .catch((error: unknown) => {
      // Said in the Ask box, not tried again on each render; choosing a model tries again.
      gpuCheckError = errorText(error);
      useEngineStore.getState().setGpu({ state: 'unchecked' });
    })
    .finally(() => {
      gpuCheck = null;
    });
}

/** Reads WebLLM's list for the choice of another model (once). */
export async function loadAnswerModelOptions(): Promise<void> {
  if (useAnswerModelStore.getState().options) return;
  try {
    useAnswerModelStore.getState().setOptions(webLlmAnswerOptions(await prebuiltList()));
  } catch (error) {
    useAnswerModelStore.getState().setOptions(null, errorText(error));
  }
}

/** Saves which model answers. */
export function chooseAnswerModel(setting: AnswerModelSetting): void {
  writeAnswerModelSetting(setting);
  const store = useAnswerModelStore.getState();
  store.setSetting(setting);
  // A failed load of the model chosen before is no longer news.
  if (store.swap.state === 'error') store.setSwap({ state: 'none' });
  gpuCheckError = null;
  if (setting.kind === 'endpoint') return;
  ensureGpuChecked();
  // The catalog knows Qwen3-4B's download size and whether it is stored (as the Model view shows).
  if (useEngineStore.getState().catalog.length === 0) void initModelCatalog();
}

/**
 * A model of WebLLM's list in this browser, when this GPU can run it: Qwen3-4B in the
 * quantization the GPU check chose (q4f32_1 without `shader-f16`), or the model the user picked.
 */
export function browserAnswerModel(
  setting: Exclude<AnswerModelSetting, { kind: 'endpoint' }>,
): AnswerModelChoice {
  const { gpu } = useEngineStore.getState();
  if (gpu.state !== 'checked' && gpuCheckError !== null) {
    return {
      unavailable: `This browser’s GPU could not be checked (${gpuCheckError}): answer with the endpoint, or run the check in the Model view.`,
    };
  }
  if (gpu.state !== 'checked') {
    // Not during a render: the check updates the store.
    queueMicrotask(ensureGpuChecked);
    return { unavailable: 'Checking this browser’s GPU before a model can answer here…' };
  }
  const { quantization, canRun } = gpu.assessment;
  if (!canRun || quantization === null) {
    const failed = gpu.assessment.items.find((item) => item.status === 'fail');
    return {
      unavailable: `This browser cannot run a model on its GPU${failed ? ` (${failed.title})` : ''}: answer with the endpoint instead.`,
    };
  }
  const modelId = setting.kind === 'qwen3-4b' ? qwen3AnswerModelId(quantization) : setting.modelId;
  if (quantization !== 'q4f16_1' && /f16/.test(modelId)) {
    return {
      unavailable: `${modelId} needs half-precision shaders (shader-f16), which this GPU lacks: pick an f32 build (q4f32_1).`,
    };
  }
  return webLlmAnswerModel(
    {
      modelId,
      record: async () => answerModelRecord(await prebuiltList(), modelId),
      install: setting.kind === 'qwen3-4b',
    },
    answerSession(),
  );
}

/** What the choice shows for Qwen3-4B: its id on this GPU, download size, and whether it is stored. */
export function qwen3AnswerFacts(): {
  modelId: string;
  downloadBytes: number | null;
  stored: boolean;
} {
  const { gpu, catalog, cache } = useEngineStore.getState();
  const quantization =
    gpu.state === 'checked' ? (gpu.assessment.quantization ?? 'q4f32_1') : 'q4f16_1';
  const modelId = qwen3AnswerModelId(quantization);
  const entry = catalog.find((candidate) => candidate.id === modelId);
  return {
    modelId,
    downloadBytes: cache[modelId]?.totalBytes ?? entry?.approxDownloadBytes ?? null,
    stored: cache[modelId]?.state === 'complete',
  };
}
