import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { ChatCall, Reply } from './openaiServer';

const seedDir = path.resolve(__dirname, '../fixtures/seed');

/** The seed conversation's window-0 prompt, as the CLI and the app send it. */
export const seedPrompt = readFileSync(path.join(seedDir, 'prompt-window0.txt'), 'utf8');
/** The answer a real server gave to `seedPrompt`. */
export const seedAnswer = readFileSync(path.join(seedDir, 'replay-window0.json'), 'utf8');
/** The model that gave it, and that the test servers serve. */
export const seedModel = 'wtqiu/DimMem-4B-Longmemeval';

/** A test server's answers: the recorded answer, and only for the exact window-0 prompt. */
export const replaySeed = ({ prompt }: ChatCall): Reply =>
  prompt === seedPrompt
    ? { kind: 'answer', text: seedAnswer }
    : { kind: 'error', status: 400, message: 'unexpected prompt' };
