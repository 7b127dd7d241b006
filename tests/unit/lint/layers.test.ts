import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The layer rules in eslint.config.js, run through ESLint itself on small files placed in the
 * UI: it may import stores, never the engine (types included) nor store plumbing (code; the
 * types of stored records may pass).
 */
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint();
});

/** The messages of the import rule for `code` as if it were the file at `filePath`. */
async function importErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages
    .filter((message) => message.ruleId?.endsWith('no-restricted-imports'))
    .map((message) => message.message);
}

describe('the UI layer', () => {
  const view = 'src/ui/model/LayerProbe.tsx';

  it.each([
    ["import { formatBytes } from '../../engine/progress/timeLeft';", 'src/engine'],
    ["import type { LoadProgress } from '../../engine/types';", 'src/engine'],
    ["import { createOpenAiEndpointEngine } from '../../engine/openai';", 'src/engine'],
    ["import { openDimmemDb } from '../../store/db/db';", 'store plumbing'],
    ["import { withWriteTransaction } from '../../store/db/transactions';", 'store plumbing'],
    ["import { putMemories } from '../../store/memories/memoryRepository';", 'store plumbing'],
    ["import { sharedGpuLock } from '../../store/tabs/gpuLock';", 'store plumbing'],
    ["import { withLock } from '../../store/tabs/inProcessLocks';", 'store plumbing'],
  ])('refuses %s', async (line, named) => {
    const errors = await importErrors(`${line}\nexport const used = [];\n`, view);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(named);
  });

  it('refuses the engine from a file at the top of src/ui too', async () => {
    const errors = await importErrors(
      "import type { EngineKind } from '../engine/types';\nexport type Kind = EngineKind;\n",
      'src/ui/App.tsx',
    );
    expect(errors).toHaveLength(1);
  });

  it.each([
    "import { useEngineStore } from '../../store/engine';",
    "import { useEngineStore } from '../../store/engine/engineStore';",
    "import type { BuildProgress } from '../../store/modelBuild';",
    "import { useRunsStore } from '../../store/runs/runsStore';",
    "import { useMemoriesStore } from '../../store/memories/memoriesStore';",
    // The shapes of stored records are what views show: types from the database side may pass.
    "import type { MemoryRecord } from '../../store/db/records';",
  ])('allows %s', async (line) => {
    expect(await importErrors(`${line}\nexport const used = [];\n`, view)).toEqual([]);
  });

  it('leaves the store free to import the engine', async () => {
    const code =
      "import type { LoadProgress } from '../../engine/types';\nexport type P = LoadProgress;\n";
    expect(await importErrors(code, 'src/store/engine/probe.ts')).toEqual([]);
  });
});
