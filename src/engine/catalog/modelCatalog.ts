import type { AppConfig, ChatOptions, ModelRecord } from '@mlc-ai/web-llm';

import { dimmemFolderName, libraryUrlFor, modelUrlFor } from './modelUrls';
import { quantizations, requiredFeatures } from './quantization';
import type { Quantization } from './quantization';

/** Where a model's files come from. */
export type ModelSourceKind =
  | 'build-default' // VITE_DIMMEM_MODEL_URL, set when the app was built
  | 'self-hosted' // public/models/ next to the app
  | 'user-url' // a URL the user entered
  | 'local-folder' // a folder the user picked, copied into the browser's cache
  | 'browser-build' // converted in this browser from the published checkpoint
  | 'prebuilt-base'; // WebLLM's own Qwen3-4B build: not fine-tuned

export interface CatalogEntry {
  /** WebLLM `model_id`, and the model id memories are labelled with. */
  id: string;
  label: string;
  sourceKind: ModelSourceKind;
  quantization: Quantization;
  fineTuned: boolean;
  /** Shown next to the model wherever it can be chosen; null when there is nothing to warn. */
  warning: string | null;
  /** The record handed to WebLLM in `appConfig.model_list`. */
  record: ModelRecord;
  contextWindowSize: number;
  vramRequiredMB: number;
  /** Estimated download; the exact size is known once `tensor-cache.json` is read. */
  approxDownloadBytes: number;
  /** For a build made in this browser: what it was built from. */
  build?: BuiltFrom;
}

/** Where a build made in this browser came from (src/engine/convert). */
export interface BuiltFrom {
  hub: string;
  repo: string;
  /** The checkpoint's commit hash: every file was read at it. */
  revision: string;
  /** Checkpoint file → the hash Hugging Face lists for it (`sha256:…` or `git-sha1:…`). */
  sourceHashes: Readonly<Record<string, string>>;
  /** Built from a developer's stand-in host (tests), not from Hugging Face. */
  developerHost: boolean;
}

/** A build made in this browser, as the catalog lists it. */
export interface BuiltModelSource extends BuiltFrom {
  /** The model URL its files are cached under (never fetched: `.invalid`). */
  modelUrl: string;
  quantization: Quantization;
}

export const defaultContextWindowSize = 8192;
export const baseModelWarning = 'base model, not fine-tuned: lower quality';

/**
 * Qwen3's training format has no system turn. MLC's `qwen2` conversation template (used by Qwen3
 * builds) adds "You are a helpful assistant." unless the system message is empty and not rendered.
 */
export const trainingConvConfig = {
  system_message: '',
  render_empty_system_message: false,
} as const;

/** KV cache per token of context for Qwen3-4B: 36 layers × 8 KV heads × 128 dims × K and V. */
function kvCacheMiBPerToken(quantization: Quantization): number {
  const bytesPerValue = quantization === 'q4f16_1' ? 2 : 4;
  return (36 * 8 * 128 * 2 * bytesPerValue) / (1024 * 1024);
}

/**
 * 4.02 B parameters at 4 bits plus one 16-bit scale per 32 weights, for both builds: q4f32_1's
 * float32 scales and norms are stored as bf16 (record format `f32-to-bf16`), so its files are as
 * large as q4f16_1's (2,262,920,192 bytes each).
 */
function approxWeightBytes(): number {
  return Math.round((4.02e9 * (4 + 16 / 32)) / 8);
}

export interface CatalogInputs {
  /** WebLLM's `prebuiltAppConfig` of the pinned version: the source of the model libraries. */
  prebuilt: AppConfig;
  /** `VITE_DIMMEM_MODEL_URL`: a URL template (`{quant}`) or a folder of builds. */
  buildDefaultUrl?: string | null;
  /** Folder URL of the app's own `models/` when a probe found a build there. */
  selfHostedUrl?: string | null;
  selfHostedQuantizations?: readonly Quantization[];
  userUrl?: string | null;
  /** Model library for the user's URL (`{quant}` allowed); WebLLM's prebuilt one when absent. */
  userLibraryUrl?: string | null;
  /** Builds copied from a local folder: their cache URL and quantization. */
  localFolders?: readonly { name: string; url: string; quantization: Quantization }[];
  /** Builds converted in this browser from the checkpoint. */
  builtModels?: readonly BuiltModelSource[];
  contextWindowSize?: number;
}

export function prebuiltQwen3Record(prebuilt: AppConfig, quantization: Quantization): ModelRecord {
  const id = `Qwen3-4B-${quantization}-MLC`;
  const record = prebuilt.model_list.find((item) => item.model_id === id);
  if (!record) throw new Error(`WebLLM's prebuilt model list has no ${id}`);
  return record;
}

function overridesFor(base: ModelRecord, contextWindowSize: number): ChatOptions {
  return {
    ...base.overrides,
    context_window_size: contextWindowSize,
    conv_config: { ...trainingConvConfig },
  };
}

function vramFor(base: ModelRecord, quantization: Quantization, contextWindowSize: number): number {
  const baseContext = base.overrides?.context_window_size ?? 4096;
  const baseVram = base.vram_required_MB ?? 0;
  const extra = (contextWindowSize - baseContext) * kvCacheMiBPerToken(quantization);
  return Math.round(baseVram + Math.max(0, extra));
}

function entry(
  inputs: CatalogInputs,
  quantization: Quantization,
  sourceKind: ModelSourceKind,
  id: string,
  label: string,
  modelUrl: string,
  libraryUrl?: string | null,
): CatalogEntry {
  const contextWindowSize = inputs.contextWindowSize ?? defaultContextWindowSize;
  const base = prebuiltQwen3Record(inputs.prebuilt, quantization);
  const fineTuned = sourceKind !== 'prebuilt-base';
  const vramRequiredMB = vramFor(base, quantization, contextWindowSize);
  return {
    id,
    label,
    sourceKind,
    quantization,
    fineTuned,
    warning: fineTuned ? null : baseModelWarning,
    contextWindowSize,
    vramRequiredMB,
    approxDownloadBytes: approxWeightBytes(),
    record: {
      model: modelUrl,
      model_id: id,
      // DimMem-4B is exactly the Qwen3-4B architecture: the prebuilt library runs it.
      model_lib: libraryUrl ? libraryUrlFor(libraryUrl, quantization) : base.model_lib,
      vram_required_MB: vramRequiredMB,
      low_resource_required: base.low_resource_required ?? false,
      required_features: requiredFeatures(quantization),
      overrides: overridesFor(base, contextWindowSize),
    },
  };
}

/** The catalog id of a build made in this browser: one per checkpoint host, revision and quantization. */
export function builtModelId(built: Omit<BuiltModelSource, 'sourceHashes'>): string {
  const name = dimmemFolderName(built.quantization);
  const revision = built.revision.slice(0, 12);
  return built.developerHost
    ? `${name}:built:dev-${new URL(built.hub).host}:${revision}`
    : `${name}:built:${revision}`;
}

/** A build made in this browser: DimMem-4B, labelled with its revision (and its test origin). */
function builtEntry(inputs: CatalogInputs, built: BuiltModelSource): CatalogEntry {
  const short = built.revision.slice(0, 7);
  const label = built.developerHost
    ? `DimMem-4B ${built.quantization} (developer test build from ${new URL(built.hub).host}, ${built.repo}@${short})`
    : `DimMem-4B ${built.quantization} (built in this browser from ${built.repo}@${short})`;
  const result = entry(
    inputs,
    built.quantization,
    'browser-build',
    builtModelId(built),
    label,
    built.modelUrl,
  );
  const { hub, repo, revision, sourceHashes, developerHost } = built;
  return {
    ...result,
    warning: developerHost ? 'developer test build: not the published checkpoint' : null,
    build: { hub, repo, revision, sourceHashes, developerHost },
  };
}

/** Every model the app can load right now, DimMem builds first, the base model last. */
export function buildCatalog(inputs: CatalogInputs): CatalogEntry[] {
  const entries: CatalogEntry[] = [];
  for (const quantization of quantizations) {
    const name = dimmemFolderName(quantization);
    if (inputs.buildDefaultUrl) {
      const url = modelUrlFor(inputs.buildDefaultUrl, quantization);
      entries.push(
        entry(inputs, quantization, 'build-default', name, `DimMem-4B ${quantization}`, url),
      );
    }
    if (inputs.selfHostedUrl && (inputs.selfHostedQuantizations ?? []).includes(quantization)) {
      const url = modelUrlFor(inputs.selfHostedUrl, quantization);
      const label = `DimMem-4B ${quantization} (hosted with this app)`;
      entries.push(entry(inputs, quantization, 'self-hosted', `${name}:self-hosted`, label, url));
    }
    if (inputs.userUrl) {
      const url = modelUrlFor(inputs.userUrl, quantization);
      const label = `DimMem-4B ${quantization} (your URL)`;
      const lib = inputs.userLibraryUrl;
      entries.push(entry(inputs, quantization, 'user-url', `${name}:url`, label, url, lib));
    }
    for (const built of inputs.builtModels ?? []) {
      if (built.quantization !== quantization) continue;
      entries.push(builtEntry(inputs, built));
    }
    for (const folder of inputs.localFolders ?? []) {
      if (folder.quantization !== quantization) continue;
      const label = `DimMem-4B ${quantization} (folder "${folder.name}")`;
      const id = `${name}:folder:${folder.name}`;
      entries.push(entry(inputs, quantization, 'local-folder', id, label, folder.url));
    }
  }
  for (const quantization of quantizations) {
    const base = prebuiltQwen3Record(inputs.prebuilt, quantization);
    const label = `Qwen3-4B ${quantization} (${baseModelWarning})`;
    entries.push(entry(inputs, quantization, 'prebuilt-base', base.model_id, label, base.model));
  }
  return entries;
}

/**
 * The entry to preselect: the best DimMem source in the quantization this GPU runs, else the base
 * model in that quantization.
 */
export function preferredEntry(
  entries: readonly CatalogEntry[],
  quantization: Quantization,
): CatalogEntry | null {
  const order: ModelSourceKind[] = [
    'local-folder',
    'user-url',
    'browser-build',
    'self-hosted',
    'build-default',
    'prebuilt-base',
  ];
  for (const kind of order) {
    const found = entries.find((e) => e.sourceKind === kind && e.quantization === quantization);
    if (found) return found;
  }
  return null;
}
