import type { AnswerPromptStyle, Embedder, QueryAnalysis } from '../../core/search';
import { buildAnswerPrompt, parseAnswerText, parseQuestion } from '../../core/search';
import { MiniLmEmbedder } from '../../engine/embeddings';
import { analyseQuestion, answerQuestion, type AskServer } from '../ask/askModel';
import type { CliCommand, CliIo } from '../command';
import { UsageError } from '../command';
import { baseUrlOption, parseCommandArgs } from '../options';
import { hitJson, searchJson, searchText, type SearchHitJson } from '../search/formatResults';
import { prepareSearch } from '../search/prepareSearch';
import { rankMemories } from '../search/rankMemories';
import {
  questionDateText,
  searchOptionsConfig,
  searchOptionsUsage,
  searchSettingsFrom,
} from '../search/searchOptions';

const usage = [
  'Usage: npm run cli -- ask <memories.jsonl> "question" --base-url URL --model MODEL [options]',
  '',
  'Answers a question from a memories file with a general instruction model on an OpenAI-compatible',
  "server: the model reads the question (the reference's query analysis, temperature 0, JSON schema),",
  'the memories are ranked as `search` ranks them, and the model answers from them, citing the [n]',
  'memories it used. DimMem-4B writes memories only; use an instruction model here (e.g. Qwen3-4B).',
  '',
  'Options:',
  '  --base-url URL      the server, e.g. http://127.0.0.1:8000/v1',
  '  --model MODEL       the served model that reads the question and answers',
  '  --api-key KEY       sent as Authorization: Bearer KEY',
  "  --reference-prompt  the reference's answer prompt exactly (no citation instruction)",
  ...searchOptionsUsage,
].join('\n');

const askOptionsConfig = {
  ...searchOptionsConfig,
  'base-url': { type: 'string' },
  model: { type: 'string' },
  'api-key': { type: 'string' },
  'reference-prompt': { type: 'boolean' },
} as const;

/** The `--json` shape of `ask` (docs/search.md). */
export interface AskJson {
  question: string;
  askedOn: string;
  model: string;
  baseUrl: string;
  analysis: QueryAnalysis;
  analysisBy: string;
  /** The model's analysis when it did not fit the schema (the parser's was used), else null. */
  rejectedAnalysis: { text: string; error: string } | null;
  answer: string;
  reasoning: string;
  /** The memories cited, by their number in `memories`. */
  citations: { number: number; id: string; content: string }[];
  unknownCitations: number[];
  promptStyle: AnswerPromptStyle;
  rawAnswer: string;
  memories: SearchHitJson[];
  search: ReturnType<typeof searchJson>;
}

export interface AskDependencies {
  embedder?: () => Embedder;
  now?: () => number;
  fetch?: typeof fetch;
}

export function createAskCommand(dependencies: AskDependencies = {}): CliCommand {
  return {
    name: 'ask',
    summary:
      'answer a question from a memories file, citing the memories (OpenAI-compatible server)',
    usage,
    async run(args: string[], io: CliIo) {
      const { values, positionals } = parseCommandArgs('ask', args, askOptionsConfig);
      const { file, settings } = searchSettingsFrom('ask', positionals, values, dependencies.now);
      if (values['base-url'] === undefined)
        throw new UsageError('ask: missing --base-url (an OpenAI-compatible server).');
      if (values.model === undefined || values.model.trim() === '')
        throw new UsageError('ask: missing --model.');
      const baseUrl = baseUrlOption(values['base-url']);
      const server: AskServer = {
        baseUrl,
        model: values.model.trim(),
        apiKey: values['api-key'],
        fetch: dependencies.fetch,
      };
      const style: AnswerPromptStyle = values['reference-prompt'] ? 'reference' : 'cited';
      const questionDate = questionDateText(settings.askedOn);

      const embedder = settings.embeddings
        ? (dependencies.embedder ?? (() => new MiniLmEmbedder()))()
        : null;
      const prepared = await prepareSearch(file, embedder, io);
      const notes: string[] = [];

      // The model reads the question; an answer off its schema falls back to the parser's reading.
      const modelAnalysis = await analyseQuestion(server, settings.question, questionDate);
      let analysis: QueryAnalysis;
      let analysisBy = server.model;
      if (modelAnalysis.analysis !== null) {
        analysis = modelAnalysis.analysis;
      } else {
        analysis = parseQuestion(settings.question, { askedOn: settings.askedOn }).analysis;
        analysisBy = 'parser';
        notes.push(
          `${server.model}'s query analysis was not used (${modelAnalysis.error}); the question was read without a model`,
        );
      }
      const { result, hits } = await rankMemories(
        prepared,
        analysis,
        analysis.query_anchor || settings.question,
        settings,
        notes,
      );
      if (result.timeIgnored !== null)
        notes.push(`time constraint "${result.timeIgnored}" not understood: not used`);

      const prompt = buildAnswerPrompt({
        question: settings.question,
        questionDate,
        memories: hits.map((hit) => hit.memory),
        style,
      });
      const rawAnswer = await answerQuestion(server, prompt);
      const parsed = parseAnswerText(rawAnswer, hits.length);
      if (hits.length === 0)
        notes.push('no memory matches this question: the model answered without memories');
      if (parsed.unknownCitations.length > 0) {
        notes.push(
          `the answer cites ${parsed.unknownCitations.map((n) => `[${n}]`).join('')}, which no memory given has`,
        );
      }
      for (const note of notes) io.note(note);

      const search = searchJson(settings, { result, hits }, prepared.meaning, analysisBy, notes);
      const citations = parsed.citations.map((number) => ({
        number,
        id: hits[number - 1]!.memory.id,
        content: hits[number - 1]!.memory.content,
      }));
      if (settings.json) {
        const json: AskJson = {
          question: settings.question,
          askedOn: search.askedOn,
          model: server.model,
          baseUrl,
          analysis,
          analysisBy,
          rejectedAnalysis:
            modelAnalysis.error === null
              ? null
              : { text: modelAnalysis.raw, error: modelAnalysis.error },
          answer: parsed.answer,
          reasoning: parsed.reasoning,
          citations,
          unknownCitations: parsed.unknownCitations,
          promptStyle: style,
          rawAnswer,
          memories: hits.map(hitJson),
          search,
        };
        io.out(`${JSON.stringify(json, null, 2)}\n`);
        return;
      }
      const lines = [`answer (written by ${server.model} at ${baseUrl}): ${parsed.answer}`];
      if (parsed.reasoning) lines.push(`reasoning: ${parsed.reasoning}`);
      if (citations.length > 0) {
        lines.push('cited:');
        for (const c of citations) lines.push(`  [${c.number}] ${c.content} (${c.id})`);
      } else if (style === 'cited') {
        lines.push('cited: none');
      }
      io.out(`${lines.join('\n')}\n\n${searchText(search, hits)}`);
    },
  };
}

export const askCommand = createAskCommand();
