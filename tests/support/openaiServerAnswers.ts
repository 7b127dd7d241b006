/**
 * TEST ONLY: stand-in answers for windows no model has answered for us (the LoCoMo files). They
 * are derived from the prompt the test server received: one memory per message the window may
 * use as a source (after the overlap), quoting it. Nothing here resembles what DimMem-4B writes;
 * it only gives every window a valid, checkable answer.
 */

const inputMarker = 'Here is the real input you need to process:';
const lineShape = /^\[(\d{4}-\d{2}-\d{2})T[^,]*, \w{3}\] (\d+)\.User: (.*)$/;

export interface PromptLine {
  number: number;
  date: string;
  text: string;
}

/** The window's message lines and its overlap count, read back from the prompt text. */
export function readPrompt(prompt: string): { lines: PromptLine[]; overlap: number } {
  const input = prompt.slice(prompt.lastIndexOf(inputMarker) + inputMarker.length);
  const lines = input
    .split('\n')
    .map((line) => lineShape.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({ number: Number(match[2]), date: match[1]!, text: match[3]! }));
  const overlap = Number(/The first (\d+) messages in the input/.exec(prompt)?.[1] ?? 0);
  return { lines, overlap };
}

/** One memory per non-overlap message, quoting its first 60 characters. */
export function quotingAnswer(prompt: string): string {
  const { lines, overlap } = readPrompt(prompt);
  const memories = lines
    .filter((line) => line.number > overlap)
    .map((line) => ({
      source_id: line.number,
      content: `The user said: ${line.text.slice(0, 60)}`,
      dimension: {
        memory_type: 'episodic',
        time: line.date,
        location: '',
        reason: '',
        purpose: '',
        keywords: ['test', 'Test'],
      },
    }));
  return JSON.stringify({ memories }, null, 2);
}
