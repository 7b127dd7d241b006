/** No model is loaded in this tab. */
export class NoEngineError extends Error {
  override name = 'NoEngineError';
  constructor() {
    super('Load a model first: no extraction engine is ready in this tab.');
  }
}

/** Another tab holds the GPU. */
export class GpuBusyError extends Error {
  override name = 'GpuBusyError';
  constructor() {
    super(
      'Another DimMem tab is using the GPU. Its progress shows here; this tab takes over if that tab closes.',
    );
  }
}
