import path from 'node:path';

/** The repository root: benchmarks run from any working directory. */
export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** Shared test data lives next to the repository: `<repo>/../shared/data`. */
export const fixtureData = path.resolve(repoRoot, 'tests/fixtures');

/** Build output of the benchmark (app and store page), kept out of the app's own `dist/`. */
export const benchBuildDir = path.join(repoRoot, 'node_modules/.cache/dimmem-bench');
