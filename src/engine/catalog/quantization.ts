/** The two MLC quantizations DimMem-4B is built in (see docs/model.md). */
export const quantizations = ['q4f16_1', 'q4f32_1'] as const;
export type Quantization = (typeof quantizations)[number];

/** Features a GPU must offer for a quantization: f16 weights need WebGPU's `shader-f16`. */
export function requiredFeatures(quantization: Quantization): string[] {
  return quantization === 'q4f16_1' ? ['shader-f16'] : [];
}

/** `q4f16_1` is smaller and faster; GPUs without `shader-f16` run `q4f32_1`. */
export function chooseQuantization(gpuFeatures: ReadonlySet<string>): Quantization {
  return gpuFeatures.has('shader-f16') ? 'q4f16_1' : 'q4f32_1';
}
