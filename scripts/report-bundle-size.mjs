// Prints the gzip size of the JavaScript the first page load needs (index.html's module graph).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = 'dist';
const budgetKb = 250;
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const entries = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="\/([^"]+\.js)"/g)].map(
  (m) => m[1],
);
const seen = new Set();
const queue = [...entries];
let total = 0;
while (queue.length > 0) {
  const file = queue.shift();
  if (seen.has(file)) continue;
  seen.add(file);
  const code = readFileSync(join(dist, file));
  total += gzipSync(code).length;
  // Static imports only: dynamic import() chunks load lazily and are not first-load.
  for (const m of code
    .toString('utf8')
    .matchAll(/(?:^|[;}\s])import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([^"']+\.js)["']/g)) {
    queue.push(join(file, '..', m[1]).replace(/^\.\//, ''));
  }
}
const kb = total / 1024;
console.log(
  `First-load JavaScript: ${kb.toFixed(1)} KB gzip (${seen.size} files; budget ${budgetKb} KB)`,
);
if (kb > budgetKb) {
  console.error(`First-load JavaScript is over its ${budgetKb} KB gzip budget.`);
  process.exit(1);
}
