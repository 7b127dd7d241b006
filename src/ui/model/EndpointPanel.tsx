import { useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';

import {
  cancelLoad,
  connectEndpoint,
  forgetEndpoint,
  forgetEndpointKey,
  guidedDecodingModes,
  policyAllows,
  reloadPage,
  saveEndpoint,
  unloadModel,
  useEngineStore,
} from '../../store/engine';
import type { GuidedDecodingMode } from '../../store/engine';
import { errorText } from '../../core/errorText';
import { CheckboxRow } from '../common/CheckboxRow';
import { FailureNotice } from '../common/FailureNotice';
import { UrlField } from '../common/UrlField';

const guidedDecodingLabels: Record<GuidedDecodingMode, string> = {
  'json-schema': 'JSON schema via response_format (vLLM, llama.cpp, Ollama, LM Studio)',
  'structured-outputs': 'structured_outputs (vLLM 0.12 and later)',
  'guided-json': 'guided_json (vLLM before 0.12)',
  'json-object': 'json_object with schema (older llama.cpp)',
  none: 'none: the prompt alone asks for JSON',
};

/** The origin a typed base URL points at, or null while it is not a URL yet. */
function originOf(baseUrl: string): string | null {
  try {
    const url = new URL(baseUrl.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * The OpenAI-compatible endpoint: where it is, which model, how answers are constrained; and, before
 * anything is sent, a plain warning that chats leave the browser for that address.
 */
export function EndpointPanel() {
  const { endpoint, keyPresent, keyKept, load, inForce } = useEngineStore(
    useShallow((state) => ({
      endpoint: state.endpoint,
      keyPresent: state.endpointKey.present,
      keyKept: state.endpointKey.keptForSession,
      load: state.load,
      inForce: state.policy.inForce,
    })),
  );
  const [baseUrl, setBaseUrl] = useState(endpoint?.settings.baseUrl ?? '');
  const [model, setModel] = useState(endpoint?.model ?? '');
  const [guided, setGuided] = useState<GuidedDecodingMode>(
    endpoint?.settings.guidedDecoding ?? 'json-schema',
  );
  const [stream, setStream] = useState(endpoint?.settings.stream ?? true);
  const [apiKey, setApiKey] = useState('');
  const [keepKey, setKeepKey] = useState(keyKept);
  const [formError, setFormError] = useState<string | null>(null);
  const [reloading, setReloading] = useState(false);
  const ids = {
    model: useId(),
    guided: useId(),
    key: useId(),
  };

  const typedOrigin = originOf(baseUrl);
  const needsReload = typedOrigin !== null && !policyAllows(inForce, `${typedOrigin}/`);
  const busy = load.state === 'loading' || reloading;
  const connected = load.state === 'ready' && load.kind === 'openai-endpoint';
  const endpointFailure =
    load.state === 'error' && load.failure.code.startsWith('endpoint-') ? load.failure : null;

  const submit = async () => {
    setFormError(null);
    try {
      const { reloadNeeded } = await saveEndpoint({
        baseUrl,
        model,
        guidedDecoding: guided,
        stream,
        apiKey,
        keepKeyForSession: keepKey,
      });
      if (reloadNeeded) {
        setReloading(true);
        reloadPage();
        return;
      }
      await connectEndpoint();
    } catch (error) {
      setFormError(errorText(error));
    }
  };

  return (
    <section className="card model-panel" aria-labelledby="endpoint-title">
      <h3 className="flush-top" id="endpoint-title">
        OpenAI-compatible endpoint (vLLM, llama.cpp, Ollama)
      </h3>
      <div className="notice warning" role="note" data-testid="endpoint-warning">
        <p className="notice-title">Your chats leave this browser</p>
        <p className="flush">
          With an endpoint, every window of a run — up to 15 of your messages with their dates — is
          sent to <strong>{typedOrigin ?? 'the server you enter below'}</strong>, and the memories
          come back from it. Use only a server you run or trust. With the model in this browser,
          nothing leaves this computer.
        </p>
      </div>

      <form
        className="field mt-12"
        aria-label="Endpoint settings"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <fieldset className="bare-fieldset" disabled={busy}>
          <legend className="visually-hidden">Endpoint settings</legend>
          <UrlField
            label="Base URL"
            required
            value={baseUrl}
            placeholder="http://127.0.0.1:8000/v1"
            onChange={setBaseUrl}
          />
          <p className="muted flush mt-2 mb-8">
            vLLM: http://127.0.0.1:8000/v1 · llama-server: http://127.0.0.1:8080/v1 · Ollama:
            http://127.0.0.1:11434/v1. A server on another machine needs https://.
          </p>
          <label htmlFor={ids.model}>Served model name</label>
          <input
            id={ids.model}
            className="input full-width"
            required
            value={model}
            placeholder="wtqiu/DimMem-4B-Longmemeval"
            onChange={(event) => setModel(event.target.value)}
          />
          <label className="block mt-8" htmlFor={ids.guided}>
            Guided decoding (how the answer is held to the memory schema)
          </label>
          <select
            id={ids.guided}
            className="select"
            value={guided}
            onChange={(event) => setGuided(event.target.value as GuidedDecodingMode)}
          >
            {guidedDecodingModes.map((mode) => (
              <option key={mode} value={mode}>
                {guidedDecodingLabels[mode]}
              </option>
            ))}
          </select>
          <CheckboxRow className="mt-8" checked={stream} onChange={setStream}>
            Stream answers (memories appear while the server writes them)
          </CheckboxRow>
          <label className="block mt-8" htmlFor={ids.key}>
            API key (optional)
          </label>
          <input
            id={ids.key}
            className="input full-width"
            type="password"
            autoComplete="off"
            value={apiKey}
            placeholder={keyPresent ? 'a key is held; type to replace it' : ''}
            onChange={(event) => setApiKey(event.target.value)}
          />
          <CheckboxRow className="mt-4" checked={keepKey} onChange={setKeepKey}>
            Keep the key until this tab closes
          </CheckboxRow>
          <p className="muted flush mt-2">
            The key is never saved on disk; without this box it is forgotten when the page reloads.
          </p>
          {keyPresent && (
            <button
              type="button"
              className="button small"
              onClick={() => {
                forgetEndpointKey();
                setApiKey('');
                setKeepKey(false);
              }}
            >
              Forget the key
            </button>
          )}
        </fieldset>
        {formError && (
          <p className="notice error" role="alert">
            {formError}
          </p>
        )}
        {needsReload && (
          <p className="muted" data-testid="endpoint-reload-note">
            This page may only connect to the addresses chosen when it loaded. Saving reloads it, so
            that its security policy allows {typedOrigin}; then press “Save and connect” again.
          </p>
        )}
        <div className="row mt-8">
          <button type="submit" className="button primary" disabled={busy}>
            {needsReload ? 'Save and reload' : 'Save and connect'}
          </button>
          {endpoint && (
            <button
              type="button"
              className="button danger"
              disabled={busy}
              onClick={() => {
                void forgetEndpoint();
                setBaseUrl('');
                setModel('');
                setApiKey('');
              }}
            >
              Forget this endpoint
            </button>
          )}
        </div>
      </form>

      {reloading && (
        <p className="notice" role="status">
          Reloading so that this page may connect to {typedOrigin}…
        </p>
      )}
      {load.state === 'loading' && (
        <div className="notice" role="status" data-testid="endpoint-connecting">
          <p className="flush">{load.progress.text}</p>
          <button type="button" className="button small" onClick={cancelLoad}>
            Cancel
          </button>
        </div>
      )}
      {connected && (
        <div className="notice warning" role="status" data-testid="endpoint-connected">
          <p className="notice-title">
            Connected: {load.modelId} at {load.sendsTo}
          </p>
          <p className="flush mb-6">Runs now send your chats to {load.sendsTo}.</p>
          <button type="button" className="button small" onClick={() => void unloadModel()}>
            Disconnect
          </button>
        </div>
      )}
      {endpointFailure && (
        <FailureNotice
          failure={endpointFailure}
          testId="endpoint-error"
          hideDetails={endpointFailure.code === 'endpoint-not-allowed'}
        >
          {endpointFailure.code === 'endpoint-not-allowed' && (
            <button type="button" className="button small" onClick={reloadPage}>
              Reload now
            </button>
          )}
        </FailureNotice>
      )}
    </section>
  );
}
