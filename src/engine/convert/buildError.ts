import { CheckpointFileMissingError, CheckpointRefusedError } from '../../core/convert/errors';
import { errorText } from '../../core/errorText';
import { AdvisedError } from '../errors/advisedError';

/** What stopped a model build, in terms of what the user can do about it. */
export type BuildErrorCode =
  | 'hub-unreachable'
  | 'network'
  | 'no-range-support'
  | 'source-missing'
  | 'source-truncated'
  | 'source-changed'
  | 'checkpoint-refused'
  | 'storage-full'
  | 'library-unavailable'
  | 'unknown';

/** One sentence per failure: what happened, and that nothing finished is lost. */
export const buildErrorAdvice: Record<BuildErrorCode, string> = {
  'hub-unreachable':
    'Hugging Face could not be reached to pin the checkpoint’s version. Check the connection and try again.',
  network:
    'The download stopped (network error). Resume when the connection is back: finished parts are kept.',
  'no-range-support':
    'The file host ignores byte ranges, so the checkpoint cannot be read in parts. Use another host or the command line converter.',
  'source-missing': 'A checkpoint file is missing at the pinned revision.',
  'source-truncated':
    'A checkpoint file is shorter than its header says: the download or the upload is damaged.',
  'source-changed':
    'A checkpoint file changed since the build started. Discard this build and start again.',
  'checkpoint-refused': 'This checkpoint cannot run on WebLLM’s prebuilt Qwen3-4B library.',
  'storage-full':
    'The browser has no room left for the build. Free disk space or delete other downloaded models, then resume: finished parts are kept.',
  'library-unavailable':
    'The model library (.wasm) could not be downloaded. Resume when the connection is back: the converted weights are kept.',
  unknown: 'The build failed.',
};

/** The only error the build throws to the app: `code` picks the advice, `detail` says exactly what. */
export class BuildError extends AdvisedError<BuildErrorCode> {
  constructor(code: BuildErrorCode, detail: string, options?: ErrorOptions) {
    super('BuildError', buildErrorAdvice, code, detail, options);
  }
}

/** A plain `{code, advice, detail}` for any error, to store and show. */
export function buildFailureOf(error: unknown): {
  code: BuildErrorCode;
  advice: string;
  detail: string;
} {
  if (error instanceof BuildError) {
    return { code: error.code, advice: error.advice, detail: error.detail };
  }
  if (error instanceof CheckpointFileMissingError) {
    return {
      code: 'source-missing',
      advice: buildErrorAdvice['source-missing'],
      detail: error.file,
    };
  }
  if (error instanceof CheckpointRefusedError) {
    const detail = error.refusals.map((r) => `${r.field}: ${r.message}`).join(' ');
    return { code: 'checkpoint-refused', advice: buildErrorAdvice['checkpoint-refused'], detail };
  }
  if (error instanceof DOMException && error.name === 'QuotaExceededError') {
    return {
      code: 'storage-full',
      advice: buildErrorAdvice['storage-full'],
      detail: error.message,
    };
  }
  const detail = errorText(error);
  return { code: 'unknown', advice: buildErrorAdvice.unknown, detail };
}
