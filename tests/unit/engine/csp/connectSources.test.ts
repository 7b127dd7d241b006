import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';

import { buildCatalog } from '../../../../src/engine/catalog/modelCatalog';
import { sourceBaseUrl } from '../../../../src/engine/catalog/modelUrls';
import {
  connectSourceAllows,
  connectSourcesAllow,
  connectSourcesForUrl,
  connectSourcesForUrls,
  defaultConnectSources,
  parseConnectPolicy,
  webLlmPrebuiltConnectSources,
} from '../../../../src/engine/csp/connectSources';
import { pageMetaPolicy } from '../../../../src/engine/csp/pagePolicy';

const app = 'http://127.0.0.1:4173';

describe('connect-src allow-list', () => {
  it('covers every URL the default catalog downloads from, and nothing else', () => {
    const defaults = defaultConnectSources(null);
    for (const entry of buildCatalog({ prebuilt: prebuiltAppConfig })) {
      const urls = [
        sourceBaseUrl(entry.record.model) + 'mlc-chat-config.json',
        entry.record.model_lib,
      ];
      for (const url of urls) expect(connectSourcesAllow(defaults, url, app), url).toBe(true);
    }
    // Hugging Face's download redirects land on its CDNs.
    for (const cdn of [
      'https://cdn-lfs.huggingface.co/repos/x',
      'https://cdn-lfs-us-1.hf.co/repos/x',
      'https://cas-bridge.xethub.hf.co/xet-bridge-us/x',
    ]) {
      expect(connectSourcesAllow(defaults, cdn, app), cdn).toBe(true);
    }
    for (const other of [
      'https://example.com/',
      'https://huggingface.co.evil.example/',
      'http://huggingface.co/',
      'https://raw.githubusercontent.com:8443/',
      'http://127.0.0.1:8000/v1/models',
    ]) {
      expect(connectSourcesAllow(defaults, other, app), other).toBe(false);
    }
    expect(defaults).toEqual([...webLlmPrebuiltConnectSources]);
  });

  it('adds the build’s own model host when VITE_DIMMEM_MODEL_URL is set', () => {
    expect(defaultConnectSources('https://models.example.org/DimMem-4B-{quant}-MLC')).toEqual([
      'https://models.example.org',
      ...webLlmPrebuiltConnectSources,
    ]);
  });

  it('turns a chosen URL into the sources it needs', () => {
    expect(connectSourcesForUrl('http://127.0.0.1:8000/v1')).toEqual(['http://127.0.0.1:8000']);
    expect(connectSourcesForUrl('https://Models.Example.org:8443/a/{quant}/')).toEqual([
      'https://models.example.org:8443',
    ]);
    expect(connectSourcesForUrl('https://huggingface.co/you/DimMem-4B-{quant}-MLC')).toEqual([
      'https://huggingface.co',
      'https://*.huggingface.co',
      'https://*.hf.co',
    ]);
    // Never fetched (a picked folder's cache key), or not expressible: http to another machine.
    expect(connectSourcesForUrl('https://local-model.invalid/folder/')).toEqual([]);
    expect(connectSourcesForUrl('http://192.168.1.20:8000/v1')).toEqual([]);
    expect(connectSourcesForUrl('ftp://example.org/')).toEqual([]);
    expect(connectSourcesForUrl('not a url')).toEqual([]);
    // The app's own origin is 'self' already.
    expect(connectSourcesForUrls([`${app}/models/`, 'http://localhost:11434/v1'], app)).toEqual([
      'http://localhost:11434',
    ]);
  });

  it('matches requests as a browser does: scheme, host (or *. subdomain) and port', () => {
    expect(connectSourceAllows('http://127.0.0.1:8000', 'http://127.0.0.1:8000/v1/x', app)).toBe(
      true,
    );
    expect(connectSourceAllows('http://127.0.0.1:8000', 'http://127.0.0.1:8001/', app)).toBe(false);
    expect(connectSourceAllows('https://*.hf.co', 'https://hf.co/', app)).toBe(false);
    expect(connectSourceAllows('https://*.hf.co', 'https://a.b.hf.co/x', app)).toBe(true);
    expect(connectSourceAllows('https://a.org', 'https://a.org:443/', app)).toBe(true);
    expect(connectSourceAllows("'self'", `${app}/assets/x.js`, app)).toBe(true);
    expect(connectSourceAllows("'self'", 'http://127.0.0.1:4174/', app)).toBe(false);
  });

  it('the static page policy is only the outer bound the narrowed one fits in', () => {
    const outer = parseConnectPolicy(
      pageMetaPolicy.split('; ').find((directive) => directive.startsWith('connect-src '))!,
    );
    expect(outer).toEqual([
      "'self'",
      'https:',
      'http://127.0.0.1:*',
      'http://localhost:*',
      'blob:',
      'data:',
    ]);
    expect(pageMetaPolicy).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(pageMetaPolicy).not.toContain('unsafe-inline');
  });
});
