import type { Quantization } from './quantization';

/** Where the quantization goes in a model URL template. */
export const quantPlaceholder = '{quant}';

/** Folder name of one DimMem-4B MLC build, as `scripts/build-mlc-model.sh` writes it. */
export function dimmemFolderName(quantization: Quantization): string {
  return `DimMem-4B-${quantization}-MLC`;
}

/**
 * The URL of one build from a URL the user (or the build) gave: `{quant}` is replaced by the
 * quantization; without it, the URL names a folder that holds one sub-folder per build.
 */
export function modelUrlFor(template: string, quantization: Quantization): string {
  const trimmed = template.trim();
  if (trimmed.includes(quantPlaceholder)) {
    return withTrailingSlash(trimmed.split(quantPlaceholder).join(quantization));
  }
  return `${withTrailingSlash(trimmed)}${dimmemFolderName(quantization)}/`;
}

/** A self-hosted model library: `{quant}` is replaced by the quantization. */
export function libraryUrlFor(template: string, quantization: Quantization): string {
  return template.trim().split(quantPlaceholder).join(quantization);
}

export function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/**
 * The base URL WebLLM reads a model's files under (its `cleanModelUrl`): a URL without a
 * `/resolve/<rev>/` part gets `resolve/main/` appended, as on Hugging Face. WebLLM only ever reads
 * our models from its cache, keyed by these URLs; the installer downloads them from
 * {@link sourceBaseUrl}.
 */
export function webllmModelBaseUrl(modelUrl: string): string {
  let url = withTrailingSlash(modelUrl);
  if (!/.+\/resolve\/.+\//.test(url)) url += 'resolve/main/';
  return new URL(url).href;
}

/**
 * Where the files of a model folder are really downloaded from: Hugging Face repositories serve
 * them under `resolve/main/`; any other static host serves the folder as it is.
 */
export function sourceBaseUrl(modelUrl: string): string {
  const url = new URL(withTrailingSlash(modelUrl));
  if (url.hostname === 'huggingface.co') return webllmModelBaseUrl(url.href);
  return url.href;
}

/** True when the text is an absolute http(s) URL. */
export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text.trim().split(quantPlaceholder).join('q4f16_1'));
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
