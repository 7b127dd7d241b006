import { chooseQuantization } from '../catalog/quantization';
import type { Quantization } from '../catalog/quantization';
import { formatBytes } from '../progress/timeLeft';
import type { GpuAdapterFacts, GpuFacts } from './gpuFacts';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface GpuCheckItem {
  id: 'webgpu' | 'adapter' | 'shader-f16' | 'limits' | 'software' | 'storage' | 'persist';
  status: CheckStatus;
  title: string;
  /** What it means and what to do, in plain words. */
  explanation: string;
}

export interface GpuAssessment {
  /** False when something fails that no model choice can fix. */
  canRun: boolean;
  /** The build this GPU should run; null when it runs none. */
  quantization: Quantization | null;
  software: boolean;
  adapterLabel: string | null;
  items: GpuCheckItem[];
}

/**
 * The largest single buffer of Qwen3-4B in q4 builds: the packed embedding table
 * (151 936 tokens × 2 560 dims at 4 bits, stored as u32 words) = 194 478 080 bytes.
 * WebGPU's default binding limit (128 MiB) is smaller; most real GPUs offer far more.
 */
export const minBufferBytes = 151_936 * (2_560 / 8) * 4;

/** Adapter names of CPU renderers: they work, but a 4B model runs at a few tokens per minute. */
const softwareRendererPattern = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render/i;

export function isSoftwareAdapter(adapter: GpuAdapterFacts): boolean {
  if (adapter.isFallbackAdapter) return true;
  const { vendor, architecture, device, description } = adapter.info;
  return softwareRendererPattern.test([vendor, architecture, device, description].join(' '));
}

function labelOf(adapter: GpuAdapterFacts): string {
  const { vendor, architecture, device, description } = adapter.info;
  return description || [vendor, architecture, device].filter(Boolean).join(' ') || 'unnamed GPU';
}

export interface ModelNeeds {
  /** Bytes still to download (the whole model when nothing is cached yet). */
  downloadBytes: number;
}

/** Decides, before any download, whether and how this browser can run the model. */
export function assessGpu(facts: GpuFacts, needs: ModelNeeds): GpuAssessment {
  const items: GpuCheckItem[] = [];
  if (!facts.webgpu) {
    items.push({
      id: 'webgpu',
      status: 'fail',
      title: 'WebGPU is not available',
      explanation:
        'The model runs on your GPU through WebGPU, which this browser does not offer. Use a recent Chrome or Edge on Windows, macOS or ChromeOS (on Linux, enable it in chrome://flags), or Safari 26 and later, with hardware acceleration turned on.',
    });
    return { canRun: false, quantization: null, software: false, adapterLabel: null, items };
  }
  items.push({ id: 'webgpu', status: 'ok', title: 'WebGPU is available', explanation: '' });

  const adapter = facts.adapter;
  if (!adapter) {
    items.push({
      id: 'adapter',
      status: 'fail',
      title: 'WebGPU is turned off or found no GPU',
      explanation:
        'This browser knows WebGPU but gave it no GPU. On Linux, Chrome needs WebGPU enabled (chrome://flags/#enable-unsafe-webgpu, with Vulkan). Elsewhere, turn on hardware acceleration in the browser settings, update the graphics driver, or check chrome://gpu for a blocklisted GPU.',
    });
    return { canRun: false, quantization: null, software: false, adapterLabel: null, items };
  }
  const adapterLabel = labelOf(adapter);
  items.push({ id: 'adapter', status: 'ok', title: `GPU: ${adapterLabel}`, explanation: '' });

  const quantization = chooseQuantization(new Set(adapter.features));
  items.push(
    quantization === 'q4f16_1'
      ? {
          id: 'shader-f16',
          status: 'ok',
          title: 'Half-precision shaders (shader-f16) supported',
          explanation: 'The smaller, faster q4f16_1 build will be used.',
        }
      : {
          id: 'shader-f16',
          status: 'warn',
          title: 'No half-precision shaders (shader-f16)',
          explanation:
            'This GPU runs the q4f32_1 build: same answers, about 1 GB more GPU memory, somewhat slower.',
        },
  );

  let canRun = true;
  const { maxStorageBufferBindingSize, maxBufferSize } = adapter.limits;
  const smallest = Math.min(maxStorageBufferBindingSize, maxBufferSize);
  if (smallest < minBufferBytes) {
    canRun = false;
    items.push({
      id: 'limits',
      status: 'fail',
      title: 'GPU buffers too small',
      explanation: `The model needs single GPU buffers of ${formatBytes(minBufferBytes)}; this GPU allows ${formatBytes(smallest)}. Try another browser or a device with a more capable GPU.`,
    });
  } else {
    items.push({
      id: 'limits',
      status: 'ok',
      title: 'GPU buffer limits are large enough',
      explanation: '',
    });
  }

  const software = isSoftwareAdapter(adapter);
  if (software) {
    items.push({
      id: 'software',
      status: 'warn',
      title: 'Software GPU: very slow',
      explanation:
        'This "GPU" is emulated on the processor. The model may load, but one window can take hours. Turn on hardware acceleration or use a device with a real GPU.',
    });
  }

  if (facts.storage) {
    const free = Math.max(0, facts.storage.quotaBytes - facts.storage.usageBytes);
    if (free < needs.downloadBytes) {
      canRun = false;
      items.push({
        id: 'storage',
        status: 'fail',
        title: 'Not enough storage for the model',
        explanation: `The model needs ${formatBytes(needs.downloadBytes)}; the browser lets this site store ${formatBytes(free)} more. Free disk space, or delete other cached models or site data.`,
      });
    } else {
      items.push({
        id: 'storage',
        status: 'ok',
        title: `Storage: ${formatBytes(free)} available, ${formatBytes(needs.downloadBytes)} needed`,
        explanation: '',
      });
    }
  }

  if (facts.persisted === false) {
    items.push({
      id: 'persist',
      status: 'warn',
      title: 'Storage may be cleared by the browser',
      explanation:
        'The browser did not grant persistent storage, so it may delete the downloaded model when disk space runs low; it would then download again. Bookmarking or installing the site often helps.',
    });
  }

  return { canRun, quantization, software, adapterLabel, items };
}
