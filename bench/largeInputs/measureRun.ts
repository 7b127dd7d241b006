/**
 * Run in a child process by the large-inputs bench, so each measurement has a fresh heap:
 *   tsx bench/largeInputs/measureRun.ts inspect FILE   the CLI's `inspect FILE --json`, in process
 *   tsx bench/largeInputs/measureRun.ts parse FILE     the baseline: read the file, JSON.parse it
 * Prints one JSON line: milliseconds of the work itself (not the start-up) and the peak resident
 * memory of the process in MB.
 */
import { readFileSync } from 'node:fs';

import { inspectCommand } from '../../src/cli/commands/inspect';

const [mode, file] = process.argv.slice(2);
if (!file || (mode !== 'inspect' && mode !== 'parse')) {
  throw new Error('usage: measureRun.ts inspect|parse FILE');
}
const start = performance.now();
let summary = '';
if (mode === 'parse') {
  const value = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
  summary = `${value.length} conversations`;
} else {
  let out = '';
  await inspectCommand.run([file, '--json'], { out: (text) => (out += text), note: () => {} });
  const json = JSON.parse(out) as { conversations: { windows: number }[] };
  const windows = json.conversations.reduce((sum, c) => sum + c.windows, 0);
  summary = `${json.conversations.length} conversations, ${windows} windows`;
}
const ms = performance.now() - start;
console.log(JSON.stringify({ ms, peakMB: process.resourceUsage().maxRSS / 1024, summary }));
