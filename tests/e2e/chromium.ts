import type { LaunchOptions } from '@playwright/test';

/** Debian's Chromium; Playwright's own browser downloads are not available here. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const baseArgs = [
  '--headless=new',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** Software WebGPU (SwiftShader): works on http://127.0.0.1 pages, has no `shader-f16`. */
export const swiftShaderWebGpuArgs = [
  '--enable-unsafe-webgpu',
  '--use-angle=swiftshader',
  '--enable-features=Vulkan',
];

export function chromiumLaunchOptions(extraArgs: string[] = []): LaunchOptions {
  return { executablePath: chromiumPath, headless: true, args: [...baseArgs, ...extraArgs] };
}
