import path from 'node:path';

/** The repository root: benchmarks run from any working directory. */
export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** Test data lives inside the repository: `<repo>/tests/fixtures` (copied into the repository). */
export const fixtureData = path.resolve(repoRoot, 'tests/fixtures');

/** Build output of the benchmark (app and store page), kept out of the app's own `dist/`. */
export const benchBuildDir = path.join(repoRoot, 'node_modules/.cache/dimmem-bench');
