/**
 * The import worker: reads, parses and saves large chat files off the page's main thread, so the
 * page stays responsive while a 500 MB export is read. It opens the app's own database.
 */
import { openDimmemDb } from '../db/db';
import type { DimmemDb } from '../db/db';
import { fileInput } from './fileInput';
import { ImportSession } from './importSession';
import type { ImportWorkerRequest, ImportWorkerResponse } from './importWorkerProtocol';
import { errorText } from '../../core/errorText';

/** The worker's global scope; the DOM lib types `self` as a window. */
declare const self: {
  postMessage(message: ImportWorkerResponse): void;
  onmessage: ((event: MessageEvent<ImportWorkerRequest>) => void) | null;
};

let connection: Promise<DimmemDb> | null = null;
const openDb = () => {
  connection ??= openDimmemDb({
    onVersionChange: () => {
      connection = null;
    },
    onTerminated: () => {
      connection = null;
    },
  }).catch((error: unknown) => {
    connection = null;
    throw error;
  });
  return connection;
};

const sessions = new Map<string, { session: ImportSession; running: AbortController | null }>();
const post = (message: ImportWorkerResponse) => self.postMessage(message);

function sessionOf(key: string) {
  const entry = sessions.get(key);
  if (!entry) throw new Error(`no import session ${key}`);
  return entry;
}

async function handle(request: ImportWorkerRequest): Promise<unknown> {
  switch (request.type) {
    case 'open':
      sessions.set(request.key, {
        session: new ImportSession(fileInput(request.file), openDb),
        running: null,
      });
      return null;
    case 'cancel':
      sessions.get(request.key)?.running?.abort();
      return null;
    case 'close':
      sessions.get(request.key)?.running?.abort();
      sessions.delete(request.key);
      return null;
    case 'check':
      return sessionOf(request.key).session.check();
    case 'preview':
    case 'save': {
      const entry = sessionOf(request.key);
      entry.running?.abort();
      const controller = new AbortController();
      entry.running = controller;
      const progress = (value: Parameters<Parameters<ImportSession['preview']>[1]>[0]) =>
        post({ id: request.id, type: 'progress', progress: value });
      try {
        return request.type === 'preview'
          ? await entry.session.preview(request.options, progress, controller.signal)
          : await entry.session.save(
              request.choices,
              request.importedAt,
              progress,
              controller.signal,
            );
      } finally {
        if (entry.running === controller) entry.running = null;
      }
    }
  }
}

self.onmessage = (event: MessageEvent<ImportWorkerRequest>) => {
  const request = event.data;
  handle(request).then(
    (result) => post({ id: request.id, type: 'done', result } as ImportWorkerResponse),
    (error: unknown) =>
      post({
        id: request.id,
        type: 'failed',
        message: errorText(error),
        cancelled: error instanceof DOMException && error.name === 'AbortError',
      }),
  );
};
