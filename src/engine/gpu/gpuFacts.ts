/** What the browser says about its GPU and storage: plain data, so the decision is testable. */
export interface GpuAdapterFacts {
  features: string[];
  limits: { maxStorageBufferBindingSize: number; maxBufferSize: number };
  info: { vendor: string; architecture: string; device: string; description: string };
  /** WebGPU's own flag for a software or otherwise limited adapter. */
  isFallbackAdapter: boolean;
}

export interface GpuFacts {
  /** `navigator.gpu` exists. */
  webgpu: boolean;
  /** Null when `requestAdapter()` found none (or failed). */
  adapter: GpuAdapterFacts | null;
  storage: { quotaBytes: number; usageBytes: number } | null;
  /** Whether the browser keeps this site's storage under pressure; null when unknown. */
  persisted: boolean | null;
}
