import { useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';

import {
  deleteCachedModel,
  formatBytes,
  importModelFolder,
  reloadPage,
  repairModel,
  selectModel,
  setContextWindowSize,
  setUserModelUrl,
  useEngineStore,
} from '../../store/engine';
import { errorText } from '../../core/errorText';
import { UrlField } from '../common/UrlField';

const contextSizes = [4096, 8192, 12288, 16384];

function cacheLabel(state: 'absent' | 'partial' | 'complete' | undefined, bytes: number): string {
  if (state === 'complete') return `Downloaded (${formatBytes(bytes)})`;
  if (state === 'partial') return 'Partly downloaded';
  return 'Not downloaded';
}

/** Which model to load and where its files come from. */
export function ModelSourcePicker() {
  const { catalog, catalogError, selectedId, cache, sources, busy } = useEngineStore(
    useShallow((state) => ({
      catalog: state.catalog,
      catalogError: state.catalogError,
      selectedId: state.selectedId,
      cache: state.cache,
      sources: state.sources,
      busy: state.load.state === 'loading',
    })),
  );
  const [url, setUrl] = useState(sources.userUrl ?? '');
  const [libraryUrl, setLibraryUrl] = useState(sources.userLibraryUrl ?? '');
  const [urlError, setUrlError] = useState<string | null>(null);
  const ids = { folder: useId(), context: useId() };
  const storedTotal = Object.values(cache).reduce((sum, status) => sum + status.storedBytes, 0);

  return (
    <section className="card model-panel" aria-labelledby="model-source-title">
      <h3 className="flush-top" id="model-source-title">
        Model
      </h3>
      {catalogError && (
        <p className="notice error">The model list could not be loaded: {catalogError}</p>
      )}
      <fieldset className="bare-fieldset" disabled={busy}>
        <legend className="visually-hidden">Choose a model</legend>
        {catalog.map((entry) => {
          const status = cache[entry.id];
          return (
            <div key={entry.id} className="row model-choice" data-model-id={entry.id}>
              <input
                type="radio"
                name="model"
                id={`model-${entry.id}`}
                checked={entry.id === selectedId}
                onChange={() => selectModel(entry.id)}
              />
              <label className="grow" htmlFor={`model-${entry.id}`}>
                <strong>{entry.label}</strong>
                <br />
                <span className="muted">
                  about {formatBytes(entry.approxDownloadBytes)} download · needs about{' '}
                  {formatBytes(entry.vramRequiredMB * 2 ** 20)} of GPU memory ·{' '}
                  {cacheLabel(status?.state, status?.storedBytes ?? 0)}
                </span>
                {entry.warning && (
                  <>
                    <br />
                    <span className="pill" role="note">
                      {entry.warning}
                    </span>
                  </>
                )}
              </label>
              {status?.state === 'partial' && entry.sourceKind === 'local-folder' && (
                <span className="muted">Copy incomplete: pick the folder again</span>
              )}
              {status?.state === 'partial' && entry.sourceKind === 'browser-build' && (
                <span className="muted">Build incomplete: delete it and build again</span>
              )}
              {status?.state === 'partial' &&
                entry.sourceKind !== 'local-folder' &&
                entry.sourceKind !== 'browser-build' && (
                  <button
                    type="button"
                    className="button small"
                    onClick={() => void repairModel(entry.id)}
                  >
                    Repair
                  </button>
                )}
              {status && status.state !== 'absent' && (
                <button
                  type="button"
                  className="button small danger"
                  onClick={() => void deleteCachedModel(entry.id)}
                >
                  Delete download
                </button>
              )}
            </div>
          );
        })}
      </fieldset>
      <p className="muted">Models stored in this browser: {formatBytes(storedTotal)}.</p>

      <form
        className="field"
        onSubmit={(event) => {
          event.preventDefault();
          try {
            const { reloadNeeded } = setUserModelUrl(url, libraryUrl);
            setUrlError(null);
            // The page's security policy is fixed at load: a new host needs a reload.
            if (reloadNeeded) reloadPage();
          } catch (error) {
            setUrlError(errorText(error));
          }
        }}
      >
        <h4 className="section-title">Use a model from a URL</h4>
        <UrlField
          label={<>Model URL (a DimMem MLC build; write {'{quant}'} where the quantization goes)</>}
          value={url}
          placeholder="https://huggingface.co/you/DimMem-4B-{quant}-MLC"
          onChange={setUrl}
        />
        <UrlField
          label="Model library URL (optional; default: WebLLM’s Qwen3-4B library)"
          value={libraryUrl}
          placeholder="https://example.org/Qwen3-4B-{quant}_cs1k-webgpu.wasm"
          onChange={setLibraryUrl}
        />
        <p className="muted flush mt-2">
          The page may connect only to the hosts chosen when it loaded: using a new host reloads it,
          so that its security policy allows that host.
        </p>
        {urlError && <p className="notice error">{urlError}</p>}
        <div className="row mt-6">
          <button type="submit" className="button" disabled={busy}>
            Use this URL
          </button>
        </div>
      </form>

      <div className="field">
        <h4 className="section-title">Load from a folder on this computer</h4>
        <label htmlFor={ids.folder}>
          An MLC model folder (mlc-chat-config.json, tensor-cache.json or ndarray-cache.json, params
          shards, tokenizer; add the .wasm library to work fully offline)
        </label>
        <input
          id={ids.folder}
          type="file"
          disabled={busy}
          {...{ webkitdirectory: '', directory: '' }}
          onChange={(event) => {
            const files = [...(event.target.files ?? [])];
            const folder = files[0]?.webkitRelativePath.split('/')[0] ?? 'folder';
            if (files.length > 0) void importModelFolder(folder, files);
            event.target.value = '';
          }}
        />
      </div>

      <div className="field">
        <label htmlFor={ids.context}>Context window (tokens)</label>
        <select
          id={ids.context}
          value={sources.contextWindowSize}
          disabled={busy}
          onChange={(event) => setContextWindowSize(Number(event.target.value))}
        >
          {contextSizes.map((size) => (
            <option key={size} value={size}>
              {size}
              {size === 8192 ? ' (default)' : ''}
            </option>
          ))}
        </select>
        <p className="muted flush mt-2">
          Larger windows need more GPU memory; smaller ones help when the GPU runs out. Changing it
          unloads a loaded model: load it again (from this browser’s storage) to use the new size.
        </p>
      </div>
    </section>
  );
}
