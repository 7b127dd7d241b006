import { userMessages } from '../../core/conversation';
import { importText } from '../../core/import';
import { buildPrompt } from '../../core/prompt';
import { planWindows } from '../../core/windows';

/** The example conversation and its answer recorded from DimMem-4B (the model card's example). */
export const seedConversationPath = 'examples/seed-conversation.txt';
export const seedRecordingPaths = ['examples/seed-replay-window0.json'] as const;

/**
 * Recordings by prompt: window i of the example conversation (default windows, card prompt)
 * with the answer recorded for it. The prompt is rebuilt by the same core code a run uses, so a
 * run over the example conversation finds each answer; any other prompt finds none.
 */
export function seedRecordings(
  conversationText: string,
  answers: readonly string[],
): Map<string, string> {
  const { conversations } = importText('seed-conversation.txt', conversationText);
  const conversation = conversations[0];
  if (!conversation) throw new Error('The example conversation has no messages.');
  const windows = planWindows(userMessages(conversation));
  const recordings = new Map<string, string>();
  answers.forEach((answer, index) => {
    const window = windows[index];
    if (window) recordings.set(buildPrompt(window), answer);
  });
  return recordings;
}

/** Fetches the example files shipped in `public/examples/` and builds their recordings. */
export async function loadSeedRecordings(
  baseUrl: string,
  fetchFn: typeof fetch = (input, init) => fetch(input, init),
): Promise<Map<string, string>> {
  const read = async (path: string) => {
    const response = await fetchFn(new URL(path, baseUrl).href);
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.text();
  };
  const [conversation, ...answers] = await Promise.all([
    read(seedConversationPath),
    ...seedRecordingPaths.map(read),
  ]);
  return seedRecordings(conversation ?? '', answers);
}
