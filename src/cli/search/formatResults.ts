import type { WrittenMemory } from '../../core/memory';
import type { SearchHit, SearchResult } from '../../core/search';
import { toIsoDate, toPythonIsoformat } from '../../core/time/localTime';
import type { FileMemory } from './readMemoryFile';
import type { MeaningRoute } from './prepareSearch';
import type { SearchSettings } from './searchOptions';

/** The `--json` shape of one ranked memory (docs/search.md): the memory as written, its scores. */
export interface SearchHitJson extends WrittenMemory {
  rank: number;
  id: string;
  messageTimestamp: string;
  conversationId: string;
  routes: { route: string; rank: number; score: number }[];
  fusedScore: number | null;
  structured: { score: number; parts: Record<string, number> };
}

export interface SearchJson {
  question: string;
  askedOn: string;
  analysis: SearchResult<FileMemory>['analysis'];
  /** Who wrote the analysis: `parser` (deterministic) or the model's name. */
  analysisBy: string;
  timeUnderstood: string | null;
  timeIgnored: string | null;
  routes: { bm25: boolean; structured: boolean; minilm: boolean; minilmOff: string | null };
  fusion: string;
  notes: string[];
  results: SearchHitJson[];
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;

export function hitJson(hit: SearchHit<FileMemory>): SearchHitJson {
  const m = hit.memory;
  return {
    rank: hit.rank,
    id: m.id,
    content: m.content,
    memoryType: m.memoryType,
    time: m.time,
    location: m.location,
    reason: m.reason,
    purpose: m.purpose,
    keywords: m.keywords,
    messageTimestamp: toPythonIsoformat(m.messageTimestamp),
    conversationId: m.conversationId,
    routes: hit.routes.map((r) => ({ route: r.route, rank: r.rank, score: round(r.score) })),
    fusedScore: hit.fusedScore === null ? null : round(hit.fusedScore),
    structured: {
      score: round(hit.structured.score),
      parts: Object.fromEntries(
        Object.entries(hit.structured.parts).map(([k, v]) => [k, round(v)]),
      ),
    },
  };
}

/** The `--json` shape of a search; `analysisBy` names who analysed the question. */
export function searchJson(
  settings: Pick<SearchSettings, 'question' | 'askedOn' | 'fusion'>,
  { result, hits }: { result: SearchResult<FileMemory>; hits: SearchHit<FileMemory>[] },
  meaning: MeaningRoute,
  analysisBy: string,
  notes: string[],
): SearchJson {
  return {
    question: settings.question,
    askedOn: toIsoDate(settings.askedOn),
    analysis: result.analysis,
    analysisBy,
    timeUnderstood: result.timeUnderstood,
    timeIgnored: result.timeIgnored,
    routes: {
      bm25: true,
      structured: true,
      minilm: result.routesOn.includes('minilm'),
      minilmOff: meaning.off,
    },
    fusion: settings.fusion,
    notes,
    results: hits.map(hitJson),
  };
}

const partNames: Record<string, string> = {
  type: 'type',
  time: 'time',
  location: 'place',
  keywordPhrase: 'phrases',
  keywordTokens: 'words',
};

/** `bm25 #1 3.31 · structured #2 0.60 (type 1, time 1, words 0) · minilm #4 0.52` */
export function whyLine(hit: SearchHit<FileMemory>): string {
  return hit.routes
    .map((r) => {
      let text = `${r.route} #${r.rank} ${r.score.toFixed(2)}`;
      if (r.route === 'structured') {
        const parts = Object.entries(hit.structured.parts).map(
          ([part, value]) => `${partNames[part] ?? part} ${Number(value.toFixed(2))}`,
        );
        if (parts.length > 0) text += ` (${parts.join(', ')})`;
      }
      return text;
    })
    .join(' · ');
}

/** The understood query, the routes, and each memory best first with its scores. */
export function searchText(json: SearchJson, hits: SearchHit<FileMemory>[]): string {
  const { analysis } = json;
  const d = analysis.dimension;
  const understood = [
    `time ${json.timeUnderstood ?? (json.timeIgnored ? `"${json.timeIgnored}" (not understood, not used)` : '—')}`,
    `types ${d.target_memory_type.join(', ') || '—'}`,
    `keywords ${d.keywords.join(', ') || '—'}`,
    `place ${d.location || '—'}`,
    `answer field ${analysis.answer_dim || '(reasoning)'}`,
  ];
  const routes = json.routes.minilm
    ? 'routes: bm25, structured, minilm (meaning)'
    : `routes: bm25, structured; meaning route off (${json.routes.minilmOff ?? 'no vectors'})`;
  const lines = [
    `question: ${json.question} (asked on ${json.askedOn})`,
    `understood (${json.analysisBy}): ${understood.join(' · ')}`,
    `${routes}; fusion ${json.fusion}`,
    '',
  ];
  if (hits.length === 0) {
    lines.push(
      'No memory matches this question: no shared words, no memory in its time, type or place.',
    );
    return `${lines.join('\n')}\n`;
  }
  const width = String(hits.length).length;
  for (const hit of hits) {
    const m = hit.memory;
    const facts = [m.memoryType, m.time || null, m.location || null, m.id]
      .filter(Boolean)
      .join(' · ');
    lines.push(`${String(hit.rank).padStart(width)}. ${m.content}`);
    lines.push(`${' '.repeat(width + 2)}${facts}`);
    lines.push(`${' '.repeat(width + 2)}${whyLine(hit)}`);
  }
  return `${lines.join('\n')}\n`;
}
