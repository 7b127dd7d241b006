import type { Embedder } from '../../core/search';
import { parseQuestion } from '../../core/search';
import { MiniLmEmbedder } from '../../engine/embeddings';
import type { CliCommand, CliIo } from '../command';
import { parseCommandArgs } from '../options';
import { searchJson, searchText } from '../search/formatResults';
import { prepareSearch } from '../search/prepareSearch';
import { rankMemories } from '../search/rankMemories';
import {
  searchOptionsConfig,
  searchOptionsUsage,
  searchSettingsFrom,
} from '../search/searchOptions';

const usage = [
  'Usage: npm run cli -- search <memories.jsonl> "question" [options]',
  '',
  'Ranks the memories of a memories file (what `extract` writes, or the app exports) for a question,',
  "best first, with each route's rank and score: BM25 over the words, the structured score (type,",
  'time, place, keywords) and, with all-MiniLM-L6-v2, meaning. The question is read without a model.',
  'Vectors are cached beside the file (FILE.vectors.bin, FILE.vectors.json).',
  '',
  'Options:',
  ...searchOptionsUsage,
].join('\n');

export interface SearchDependencies {
  /** The meaning route's embedder; tests inject a fake. Default: all-MiniLM-L6-v2. */
  embedder?: () => Embedder;
  now?: () => number;
}

/** `search`, with what it depends on injectable (tests). */
export function createSearchCommand(dependencies: SearchDependencies = {}): CliCommand {
  return {
    name: 'search',
    summary: 'rank the memories of a memories JSONL file for a question',
    usage,
    async run(args: string[], io: CliIo) {
      const { values, positionals } = parseCommandArgs('search', args, searchOptionsConfig);
      const { file, settings } = searchSettingsFrom(
        'search',
        positionals,
        values,
        dependencies.now,
      );
      const embedder = settings.embeddings
        ? (dependencies.embedder ?? (() => new MiniLmEmbedder()))()
        : null;
      const prepared = await prepareSearch(file, embedder, io);
      const parsed = parseQuestion(settings.question, { askedOn: settings.askedOn });
      const notes = [...parsed.notes];
      if (!settings.askedOnGiven && parsed.timePhrase !== null) {
        notes.push(`"${parsed.timePhrase}" counted from today; give --asked-on for another day`);
      }
      const { result, hits } = await rankMemories(
        prepared,
        parsed.analysis,
        parsed.analysis.query_anchor,
        settings,
        notes,
      );
      for (const note of notes) io.note(note);
      const json = searchJson(settings, { result, hits }, prepared.meaning, 'parser', notes);
      io.out(settings.json ? `${JSON.stringify(json, null, 2)}\n` : searchText(json, hits));
    },
  };
}

export const searchCommand = createSearchCommand();
