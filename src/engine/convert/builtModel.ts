import type { Checkpoint } from '../../core/convert/types';
import type { Quantization } from '../catalog/quantization';
import type { BuildState } from './buildState';
import { officialCheckpoint, recordedHash } from './huggingFaceClient';

/** A finished build, as the catalog lists it. */
export interface BuiltModel {
  modelUrl: string;
  quantization: Quantization;
  hub: string;
  repo: string;
  revision: string;
  /** The checkpoint files the build read, each with the hash Hugging Face lists for it. */
  sourceHashes: Record<string, string>;
  contextWindowSize: number;
  builtAt: number;
  /** Built from a developer's stand-in host (tests), not from Hugging Face. */
  developerHost: boolean;
}

/** The build a finished state describes, with the hashes of the files it read. */
export function builtModelOf(
  state: BuildState,
  sourceHashes: Record<string, string>,
  built: { at: number; developerHost: boolean },
): BuiltModel {
  return {
    modelUrl: state.modelUrl,
    quantization: state.quantization,
    hub: state.hub,
    repo: state.repo,
    revision: state.revision,
    sourceHashes,
    contextWindowSize: state.contextWindowSize,
    builtAt: built.at,
    developerHost: built.developerHost,
  };
}

/**
 * A finished build from its stored state alone, for a tab that stopped between the last file and
 * listing the model: the files' hashes are all those the pinned listing gave.
 */
export function builtModelFromState(state: BuildState, now: number): BuiltModel | null {
  if (state.phase !== 'done') return null;
  const sourceHashes: Record<string, string> = {};
  for (const [name, file] of Object.entries(state.files)) sourceHashes[name] = recordedHash(file);
  return builtModelOf(state, sourceHashes, {
    at: now,
    developerHost: state.hub !== officialCheckpoint.hub,
  });
}

/** The hashes of the files a build read: config, index, weights and tokenizer. */
export function sourceHashesRead(
  checkpoint: Checkpoint,
  state: BuildState,
): Record<string, string> {
  const names = ['config.json', 'model.safetensors.index.json', 'tokenizer.json'];
  const sourceHashes: Record<string, string> = {};
  for (const name of [...names, ...checkpoint.files.map((file) => file.name)]) {
    const file = state.files[name];
    if (file) sourceHashes[name] = recordedHash(file);
  }
  return sourceHashes;
}
