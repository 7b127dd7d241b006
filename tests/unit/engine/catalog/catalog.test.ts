import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';

import { checkChatConfig } from '../../../../src/engine/catalog/chatConfig';
import {
  baseModelWarning,
  buildCatalog,
  preferredEntry,
  trainingConvConfig,
} from '../../../../src/engine/catalog/modelCatalog';
import {
  isHttpUrl,
  modelUrlFor,
  sourceBaseUrl,
  webllmModelBaseUrl,
} from '../../../../src/engine/catalog/modelUrls';
import { chooseQuantization } from '../../../../src/engine/catalog/quantization';

const prebuiltLib = (id: string) =>
  prebuiltAppConfig.model_list.find((record) => record.model_id === id)?.model_lib;

describe('model catalog', () => {
  it('offers only the base Qwen3-4B, clearly labelled, when no DimMem build is reachable', () => {
    const catalog = buildCatalog({ prebuilt: prebuiltAppConfig });
    expect(catalog.map((entry) => entry.id)).toEqual([
      'Qwen3-4B-q4f16_1-MLC',
      'Qwen3-4B-q4f32_1-MLC',
    ]);
    for (const entry of catalog) {
      expect(entry.fineTuned).toBe(false);
      expect(entry.warning).toBe('base model, not fine-tuned: lower quality');
      expect(entry.label).toContain(baseModelWarning);
    }
  });

  it('runs DimMem on the prebuilt Qwen3-4B library of the same quantization', () => {
    const catalog = buildCatalog({
      prebuilt: prebuiltAppConfig,
      buildDefaultUrl: 'https://huggingface.co/someone/DimMem-4B-{quant}-MLC',
    });
    const dimmem = catalog.filter((entry) => entry.fineTuned);
    expect(dimmem.map((entry) => entry.id)).toEqual([
      'DimMem-4B-q4f16_1-MLC',
      'DimMem-4B-q4f32_1-MLC',
    ]);
    const [f16, f32] = dimmem;
    expect(f16?.record.model).toBe('https://huggingface.co/someone/DimMem-4B-q4f16_1-MLC/');
    expect(f16?.record.model_lib).toBe(prebuiltLib('Qwen3-4B-q4f16_1-MLC'));
    expect(f32?.record.model_lib).toBe(prebuiltLib('Qwen3-4B-q4f32_1-MLC'));
    expect(f16?.record.model_lib).toMatch(/v0_2_86\/.*Qwen3-4B-q4f16_1.*\.wasm$/);
    expect(f16?.record.required_features).toEqual(['shader-f16']);
    expect(f32?.record.required_features).toEqual([]);
  });

  it('sets an 8192-token context by default, settable, and grows the VRAM need with it', () => {
    const small = buildCatalog({
      prebuilt: prebuiltAppConfig,
      buildDefaultUrl: 'https://x.test/m/',
    });
    const large = buildCatalog({
      prebuilt: prebuiltAppConfig,
      buildDefaultUrl: 'https://x.test/m/',
      contextWindowSize: 16384,
    });
    const f16 = small[0];
    expect(f16?.record.overrides?.context_window_size).toBe(8192);
    expect(f16?.record.overrides?.conv_config).toEqual(trainingConvConfig);
    expect(large[0]?.record.overrides?.context_window_size).toBe(16384);
    // 8192 more tokens × 0.140625 MiB of f16 KV cache per token = 1152 MiB more.
    expect((large[0]?.vramRequiredMB ?? 0) - (f16?.vramRequiredMB ?? 0)).toBe(1152);
    const prebuiltVram = prebuiltAppConfig.model_list.find(
      (r) => r.model_id === 'Qwen3-4B-q4f16_1-MLC',
    )?.vram_required_MB;
    expect(f16?.vramRequiredMB).toBeGreaterThan(prebuiltVram ?? Infinity);
  });

  it('lists every source the user has, each under its own id', () => {
    const catalog = buildCatalog({
      prebuilt: prebuiltAppConfig,
      buildDefaultUrl: 'https://cdn.test/models/',
      selfHostedUrl: 'http://127.0.0.1:4173/models/',
      selfHostedQuantizations: ['q4f32_1'],
      userUrl: 'https://mine.test/dimmem/{quant}/',
      localFolders: [
        { name: 'dl', url: 'https://local-model.invalid/dl/', quantization: 'q4f16_1' },
      ],
    });
    const ids = catalog.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(catalog.find((e) => e.sourceKind === 'self-hosted')?.record.model).toBe(
      'http://127.0.0.1:4173/models/DimMem-4B-q4f32_1-MLC/',
    );
    expect(catalog.filter((e) => e.sourceKind === 'user-url').map((e) => e.record.model)).toEqual([
      'https://mine.test/dimmem/q4f16_1/',
      'https://mine.test/dimmem/q4f32_1/',
    ]);
    expect(preferredEntry(catalog, 'q4f16_1')?.sourceKind).toBe('local-folder');
    expect(preferredEntry(catalog, 'q4f32_1')?.sourceKind).toBe('user-url');
  });

  it('prefers the base model only when nothing else runs on this GPU', () => {
    const catalog = buildCatalog({ prebuilt: prebuiltAppConfig });
    expect(preferredEntry(catalog, 'q4f32_1')?.id).toBe('Qwen3-4B-q4f32_1-MLC');
  });
});

describe('quantization choice', () => {
  it('uses q4f16_1 with shader-f16 and q4f32_1 without', () => {
    expect(chooseQuantization(new Set(['shader-f16', 'timestamp-query']))).toBe('q4f16_1');
    expect(chooseQuantization(new Set(['timestamp-query']))).toBe('q4f32_1');
  });
});

describe('model URLs', () => {
  it('follows WebLLM: files are read under resolve/main/ unless the URL names a revision', () => {
    expect(webllmModelBaseUrl('https://huggingface.co/a/B')).toBe(
      'https://huggingface.co/a/B/resolve/main/',
    );
    expect(webllmModelBaseUrl('https://huggingface.co/a/B/resolve/v2/')).toBe(
      'https://huggingface.co/a/B/resolve/v2/',
    );
    expect(webllmModelBaseUrl('http://127.0.0.1:4173/models/X/')).toBe(
      'http://127.0.0.1:4173/models/X/resolve/main/',
    );
  });

  it('downloads from Hugging Face under resolve/main/ and from other hosts as given', () => {
    expect(sourceBaseUrl('https://huggingface.co/a/B')).toBe(
      'https://huggingface.co/a/B/resolve/main/',
    );
    expect(sourceBaseUrl('http://127.0.0.1:4173/models/X')).toBe('http://127.0.0.1:4173/models/X/');
  });

  it('fills the quantization into templates, or names the build folder', () => {
    expect(modelUrlFor('https://h.test/DimMem-4B-{quant}-MLC', 'q4f32_1')).toBe(
      'https://h.test/DimMem-4B-q4f32_1-MLC/',
    );
    expect(modelUrlFor('https://h.test/models', 'q4f16_1')).toBe(
      'https://h.test/models/DimMem-4B-q4f16_1-MLC/',
    );
    expect(isHttpUrl('https://h.test/{quant}')).toBe(true);
    expect(isHttpUrl('file:///tmp/model')).toBe(false);
    expect(isHttpUrl('not a url')).toBe(false);
  });
});

describe('mlc-chat-config check', () => {
  it('accepts a Qwen3 build of a supported quantization and names what is wrong otherwise', () => {
    const config = {
      model_type: 'qwen3',
      quantization: 'q4f32_1',
      tokenizer_files: ['tokenizer.json'],
    };
    expect(checkChatConfig(config)).toMatchObject({ ok: true, quantization: 'q4f32_1' });
    expect(checkChatConfig(config, 'q4f16_1')).toMatchObject({ ok: false });
    expect(checkChatConfig({ ...config, model_type: 'llama' })).toEqual({
      ok: false,
      problem: 'This folder holds a "llama" model; DimMem-4B is a qwen3 model.',
    });
    expect(checkChatConfig({ ...config, quantization: 'q0f16' })).toMatchObject({ ok: false });
    expect(checkChatConfig({ hello: 1 })).toMatchObject({ ok: false });
  });
});
