import type { GpuAdapterFacts, GpuFacts } from './gpuFacts';

/** The slice of the WebGPU API read here (TypeScript's DOM library has no WebGPU types yet). */
interface AdapterLike {
  features: ReadonlySet<string>;
  limits: { maxStorageBufferBindingSize: number; maxBufferSize: number };
  info?: {
    vendor?: string;
    architecture?: string;
    device?: string;
    description?: string;
    isFallbackAdapter?: boolean;
  };
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(options?: {
    powerPreference?: 'high-performance' | 'low-power';
  }): Promise<AdapterLike | null>;
}

function adapterFacts(adapter: AdapterLike): GpuAdapterFacts {
  const info = adapter.info ?? {};
  return {
    features: [...adapter.features],
    limits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
    info: {
      vendor: info.vendor ?? '',
      architecture: info.architecture ?? '',
      device: info.device ?? '',
      description: info.description ?? '',
    },
    isFallbackAdapter: info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false,
  };
}

/** Reads the GPU and storage facts; asks for persistent storage once, as the model is large. */
export async function probeGpu(nav: Navigator = navigator): Promise<GpuFacts> {
  const gpu = (nav as Navigator & { gpu?: GpuLike }).gpu;
  let adapter: GpuAdapterFacts | null = null;
  if (gpu) {
    try {
      const found = await gpu.requestAdapter({ powerPreference: 'high-performance' });
      adapter = found ? adapterFacts(found) : null;
    } catch {
      adapter = null; // Reported as "no GPU found", with what to do.
    }
  }
  let storage: GpuFacts['storage'] = null;
  let persisted: boolean | null = null;
  if (nav.storage) {
    try {
      const estimate = await nav.storage.estimate();
      storage = { quotaBytes: estimate.quota ?? 0, usageBytes: estimate.usage ?? 0 };
    } catch {
      storage = null;
    }
    try {
      persisted = (await nav.storage.persisted()) || (await nav.storage.persist());
    } catch {
      persisted = null;
    }
  }
  return { webgpu: Boolean(gpu), adapter, storage, persisted };
}
