/**
 * The part of the WebAssembly JavaScript API that core uses (search's SIMD dot kernel and its
 * vector memory). Node and browsers both have the `WebAssembly` global, but TypeScript declares it
 * only in the DOM lib and @types/node not at all, so the core build (tsconfig.core.json, no DOM
 * lib) reads it from here. The app build has the DOM lib and excludes this file.
 */
declare namespace WebAssembly {
  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
    shared?: boolean;
  }

  class Memory {
    constructor(descriptor: MemoryDescriptor);
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }

  class Module {
    constructor(bytes: Uint8Array<ArrayBuffer>);
  }

  type ImportValue = Memory | ((...args: never[]) => unknown) | number;

  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, ImportValue>>);
    readonly exports: Record<string, unknown>;
  }
}
