// Fails when a file of the repository refers to the folder beside it: a clone of the repository
// alone must pass `npm test`, so tests, bench, build and docs use tests/fixtures/ instead.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Built from parts so that this file does not match itself.
const sibling = ['..', 'shared'].join('/');
const patterns = [
  new RegExp(`${sibling.replace('.', '\\.').replace('.', '\\.')}\\b`),
  new RegExp(`\\bshared[/\\\\](data|design)\\b`),
];
const skipped = new Set(['node_modules', '.git', 'dist', 'test-results', 'playwright-report']);

function trackedFiles() {
  try {
    const out = execFileSync(
      'git',
      ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
      {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    return out.split('\0').filter(Boolean);
  } catch {
    // Not a git checkout (an unpacked archive): walk the tree instead.
    const files = [];
    const walk = (dir) => {
      for (const name of readdirSync(path.join(root, dir))) {
        if (skipped.has(name)) continue;
        const relative = path.join(dir, name);
        if (statSync(path.join(root, relative)).isDirectory()) walk(relative);
        else files.push(relative);
      }
    };
    walk('');
    return files;
  }
}

const offenders = [];
for (const file of trackedFiles()) {
  let text;
  try {
    text = readFileSync(path.join(root, file), 'utf8');
  } catch {
    continue; // deleted in the work tree, or unreadable
  }
  text.split('\n').forEach((line, index) => {
    if (patterns.some((pattern) => pattern.test(line)))
      offenders.push(`${file}:${index + 1}: ${line.trim()}`);
  });
}

if (offenders.length > 0) {
  console.error(
    `These lines refer to the folder beside the repository, which a clone does not have; copy what they need into tests/fixtures/ and point there:\n${offenders.join('\n')}`,
  );
  process.exit(1);
}
