import path from 'node:path';

import { benchBuildDir } from './paths';
import { viteBuild } from './vite';

let built: Promise<string> | null = null;

/**
 * The app's production build in the benchmark's own folder, built once per `npm run bench` and
 * shared by the parts that load it (page, table). Returns the folder.
 */
export function buildApp(log: (line: string) => void): Promise<string> {
  built ??= (async () => {
    const outDir = path.join(benchBuildDir, 'app');
    const start = performance.now();
    await viteBuild(outDir);
    log(`app built in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    return outDir;
  })();
  return built;
}
