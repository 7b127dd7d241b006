import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

const repo = path.resolve(__dirname, '../..');
const fixtures = path.join(repo, 'tests/fixtures');

describe('the app demo examples', () => {
  it.each([
    ['seed-conversation.txt', 'seed/conversation.txt'],
    ['seed-replay-window0.json', 'seed/replay-window0.json'],
  ])('public/examples/%s is byte-identical to tests/fixtures/%s', (example, fixture) => {
    const shipped = readFileSync(path.join(repo, 'public/examples', example));
    expect(shipped.equals(readFileSync(path.join(fixtures, fixture)))).toBe(true);
  });
});

describe('the self-contained check', () => {
  const script = path.join(repo, 'scripts/check-self-contained.mjs');
  const sibling = ['..', 'shared'].join('/');
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A tiny project (not a git checkout, so the script walks it) holding the check and `files`. */
  function project(files: Record<string, string>): string {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dimmem-self-contained-'));
    mkdirSync(path.join(dir, 'scripts'));
    copyFileSync(script, path.join(dir, 'scripts/check-self-contained.mjs'));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    return dir;
  }
  const check = (root: string) =>
    spawnSync(process.execPath, [path.join(root, 'scripts/check-self-contained.mjs')], {
      encoding: 'utf8',
    });

  it('fails, naming file and line, when a file reads the folder beside the repository', () => {
    const root = project({
      'tests/unit/a.test.ts': `const ok = 1;\nconst data = path.resolve(__dirname, '../../${sibling}/data');\n`,
      'docs/b.md': 'See tests/fixtures/seed.\n',
    });
    const result = check(root);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`tests/unit/a.test.ts:2:`);
    expect(result.stderr).not.toContain('docs/b.md');
  });

  it('passes on a tree that only uses tests/fixtures', () => {
    const root = project({ 'tests/unit/a.test.ts': "const data = 'tests/fixtures/seed';\n" });
    expect(check(root).status).toBe(0);
  });

  it('passes on this repository', () => {
    expect(() =>
      execFileSync(process.execPath, [script], { cwd: repo, stdio: 'pipe' }),
    ).not.toThrow();
  });
});
