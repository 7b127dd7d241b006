// Prints the gzip size of the JavaScript the first page load needs (index.html's module graph).
// `firstLoadJavaScript` is also used by the benchmark (bench/parts/page.ts).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

export const firstLoadBudgetKb = 250;

/**
 * Follows index.html's scripts and their static imports through a Vite build folder.
 * Dynamic import() chunks load lazily and are not first-load.
 * @param {string} dist the build output folder
 * @returns {{ gzipBytes: number, rawBytes: number, files: string[] }}
 */
export function firstLoadJavaScript(dist = 'dist') {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const entries = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="\/([^"]+\.js)"/g)].map(
    (m) => m[1],
  );
  const seen = new Set();
  const queue = [...entries];
  let gzipBytes = 0;
  let rawBytes = 0;
  while (queue.length > 0) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(join(dist, file));
    rawBytes += code.length;
    gzipBytes += gzipSync(code).length;
    for (const m of code
      .toString('utf8')
      .matchAll(/(?:^|[;}\s])import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([^"']+\.js)["']/g)) {
      queue.push(join(file, '..', m[1]).replace(/^\.\//, ''));
    }
  }
  return { gzipBytes, rawBytes, files: [...seen] };
}

const runDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;

if (runDirectly) {
  // `node scripts/report-bundle-size.mjs [folder]`: a build made with `vite build --outDir folder`.
  const { gzipBytes, files } = firstLoadJavaScript(process.argv[2] ?? 'dist');
  const kb = gzipBytes / 1024;
  console.log(
    `First-load JavaScript: ${kb.toFixed(1)} KB gzip (${files.length} files; budget ${firstLoadBudgetKb} KB)`,
  );
  if (kb > firstLoadBudgetKb) {
    console.error(`First-load JavaScript is over its ${firstLoadBudgetKb} KB gzip budget.`);
    process.exit(1);
  }
}
