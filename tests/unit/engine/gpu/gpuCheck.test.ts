import { describe, expect, it } from 'vitest';

import { assessGpu, isSoftwareAdapter, minBufferBytes } from '../../../../src/engine/gpu/assessGpu';
import type { GpuAdapterFacts, GpuFacts } from '../../../../src/engine/gpu/gpuFacts';

const GiB = 1024 ** 3;

/** What Chromium's SwiftShader adapter reports (see the e2e test for the real one). */
const swiftShader: GpuAdapterFacts = {
  features: ['depth-clip-control', 'float32-filterable', 'timestamp-query'],
  limits: { maxStorageBufferBindingSize: 2 * GiB - 4, maxBufferSize: 2 * GiB },
  info: { vendor: 'google', architecture: 'swiftshader', device: '', description: '' },
  isFallbackAdapter: false,
};

const discreteGpu: GpuAdapterFacts = {
  features: ['shader-f16', 'timestamp-query'],
  limits: { maxStorageBufferBindingSize: 2 * GiB - 4, maxBufferSize: 4 * GiB },
  info: {
    vendor: 'nvidia',
    architecture: 'ada',
    device: '',
    description: 'NVIDIA GeForce RTX 4070',
  },
  isFallbackAdapter: false,
};

function facts(adapter: GpuAdapterFacts | null, change: Partial<GpuFacts> = {}): GpuFacts {
  return {
    webgpu: true,
    adapter,
    storage: { quotaBytes: 100 * GiB, usageBytes: GiB },
    persisted: true,
    ...change,
  };
}

const needs = { downloadBytes: 2.3 * GiB };

describe('GPU check', () => {
  it('explains what to do when the browser has no WebGPU', () => {
    const result = assessGpu(facts(null, { webgpu: false }), needs);
    expect(result.canRun).toBe(false);
    expect(result.quantization).toBeNull();
    expect(result.items).toHaveLength(1);
    expect(result.items[0]).toMatchObject({ id: 'webgpu', status: 'fail' });
    expect(result.items[0]?.explanation).toMatch(/Chrome or Edge/);
  });

  it('explains a missing adapter separately from missing WebGPU', () => {
    const result = assessGpu(facts(null), needs);
    expect(result.canRun).toBe(false);
    expect(result.items.map((item) => [item.id, item.status])).toEqual([
      ['webgpu', 'ok'],
      ['adapter', 'fail'],
    ]);
    expect(result.items[1]?.explanation).toMatch(/enable-unsafe-webgpu.*hardware acceleration/);
  });

  it('picks q4f16_1 on a GPU with shader-f16 and raises no warning', () => {
    const result = assessGpu(facts(discreteGpu), needs);
    expect(result).toMatchObject({ canRun: true, quantization: 'q4f16_1', software: false });
    expect(result.adapterLabel).toBe('NVIDIA GeForce RTX 4070');
    expect(result.items.filter((item) => item.status !== 'ok')).toEqual([]);
  });

  it('reports SwiftShader as a slow software adapter without shader-f16 and picks q4f32_1', () => {
    const result = assessGpu(facts(swiftShader), needs);
    expect(result).toMatchObject({ canRun: true, quantization: 'q4f32_1', software: true });
    const warnings = result.items.filter((item) => item.status === 'warn').map((item) => item.id);
    expect(warnings).toEqual(['shader-f16', 'software']);
  });

  it('treats fallback adapters and CPU renderers as software', () => {
    expect(isSoftwareAdapter({ ...discreteGpu, isFallbackAdapter: true })).toBe(true);
    const llvmpipe = {
      ...discreteGpu,
      info: { ...discreteGpu.info, description: 'llvmpipe (LLVM 15.0.6, 256 bits)' },
    };
    expect(isSoftwareAdapter(llvmpipe)).toBe(true);
    expect(isSoftwareAdapter(discreteGpu)).toBe(false);
  });

  it('refuses a GPU whose buffers cannot hold the embedding table', () => {
    const tiny = {
      ...discreteGpu,
      limits: { maxStorageBufferBindingSize: 128 * 1024 ** 2, maxBufferSize: GiB },
    };
    const result = assessGpu(facts(tiny), needs);
    expect(result.canRun).toBe(false);
    expect(result.items.find((item) => item.id === 'limits')?.status).toBe('fail');
    expect(minBufferBytes).toBe(194_478_080);
  });

  it('compares free storage with the download and warns when storage is not persistent', () => {
    const full = assessGpu(
      facts(discreteGpu, {
        storage: { quotaBytes: 3 * GiB, usageBytes: 2 * GiB },
        persisted: false,
      }),
      needs,
    );
    expect(full.canRun).toBe(false);
    expect(full.items.find((item) => item.id === 'storage')).toMatchObject({ status: 'fail' });
    expect(full.items.find((item) => item.id === 'storage')?.explanation).toMatch(
      /2\.3 GB.*1\.0 GB/,
    );
    expect(full.items.find((item) => item.id === 'persist')?.status).toBe('warn');
    const cachedAlready = assessGpu(
      facts(discreteGpu, { storage: { quotaBytes: 3 * GiB, usageBytes: 2 * GiB } }),
      { downloadBytes: 0 },
    );
    expect(cachedAlready.canRun).toBe(true);
  });
});
