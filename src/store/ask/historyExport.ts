import { answerSegments } from './citations';
import type { AskedQuestion } from './askDetails';

/** A download: the same shape as the memory exports'. */
export interface HistoryFile {
  fileName: string;
  mimeType: string;
  text: string;
}

export const historyFormats = ['json', 'markdown'] as const;
export type HistoryFormat = (typeof historyFormats)[number];

/** A cited memory: its number in the answer, its id, and its text as it was ranked. */
function citedMemories(question: AskedQuestion) {
  const answer = question.details.answer;
  if (!answer) return [];
  const contentOf = new Map(question.details.hits.map((hit) => [hit.memoryId, hit.content]));
  const seen = new Set<number>();
  const cited: { number: number; memoryId: string | null; content: string | null }[] = [];
  for (const segment of answerSegments(answer.text, answer.memoryIds)) {
    if (segment.kind !== 'citation' || seen.has(segment.number)) continue;
    seen.add(segment.number);
    const content = segment.memoryId === null ? null : (contentOf.get(segment.memoryId) ?? null);
    cited.push({ number: segment.number, memoryId: segment.memoryId, content });
  }
  return cited.sort((a, b) => a.number - b.number);
}

function markdownOf(question: AskedQuestion): string {
  const { details } = question;
  const lines = [
    `## ${question.question}`,
    '',
    `Asked ${new Date(question.askedAt).toISOString()} (question date ${question.askedOn}).`,
  ];
  if (details.timeUnderstood) lines.push(`Time understood: ${details.timeUnderstood}.`);
  for (const notice of details.notices) lines.push(`> ${notice}`);
  const answer = details.answer;
  if (answer) {
    lines.push(
      '',
      `**Answer** by ${answer.model} (${answer.status}):`,
      '',
      answer.text.trim() || '(no text)',
    );
    if (answer.error) lines.push('', `Error: ${answer.error}`);
    const cited = citedMemories(question);
    if (cited.length > 0) {
      lines.push('', 'Cited memories:', '');
      for (const memory of cited) {
        lines.push(
          `- [${memory.number}] ${memory.content ?? 'names no memory given'}${memory.memoryId ? ` (\`${memory.memoryId}\`)` : ''}`,
        );
      }
    }
  }
  if (details.hits.length > 0) {
    lines.push('', 'Ranked memories:', '');
    for (const hit of details.hits) lines.push(`${hit.rank}. ${hit.content}`);
  }
  return lines.join('\n');
}

/** The history (newest first) as a JSON or Markdown download; nothing leaves the browser. */
export function exportHistory(
  questions: readonly AskedQuestion[],
  format: HistoryFormat,
  now: Date = new Date(),
): HistoryFile {
  const stamp = now.toISOString().slice(0, 10);
  if (format === 'json') {
    const text = JSON.stringify(
      {
        format: 'dimmem-questions',
        version: 1,
        exportedAt: now.toISOString(),
        questions: questions.map((question) => ({ ...question, cited: citedMemories(question) })),
      },
      null,
      2,
    );
    return { fileName: `dimmem-questions-${stamp}.json`, mimeType: 'application/json', text };
  }
  const text = [`# DimMem questions (${stamp})`, '', ...questions.map(markdownOf)].join('\n\n');
  return { fileName: `dimmem-questions-${stamp}.md`, mimeType: 'text/markdown', text: `${text}\n` };
}
