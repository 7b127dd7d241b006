/**
 * TEST ONLY: BERT's uncased WordPiece written out, for checking what transformers.js computes with
 * the stand-in tokenizer (miniLmStandInTokenizer.ts): accents stripped and lower-cased, Han
 * characters and punctuation words of their own, each word split greedily into the longest pieces
 * of the vocabulary (`##` within a word), a word with no split [UNK]; [CLS] … [SEP], cut at
 * `maxTokens`.
 */
export function wordPieceIds(
  text: string,
  vocabulary: readonly string[],
  maxTokens: number,
): number[] {
  const ids = new Map(vocabulary.map((token, id) => [token, id]));
  const id = (token: string) => ids.get(token)!;
  const normalised = text
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .toLowerCase();
  const words = normalised
    .replace(/\p{Script=Han}/gu, (character) => ` ${character} `)
    .split(/\s+/)
    .flatMap((word) => word.match(/[!-/:-@[-`{-~]|\p{P}|[^!-/:-@[-`{-~\p{P}]+/gu) ?? []);
  const pieces: number[] = [];
  for (const word of words) {
    const wordPieces: number[] = [];
    let start = 0;
    while (start < word.length) {
      let end = word.length;
      let found: number | undefined;
      while (end > start && found === undefined) {
        found = ids.get((start > 0 ? '##' : '') + word.slice(start, end));
        if (found === undefined) end -= 1;
      }
      if (found === undefined) break;
      wordPieces.push(found);
      start = end;
    }
    pieces.push(...(start < word.length ? [id('[UNK]')] : wordPieces));
  }
  return [id('[CLS]'), ...pieces.slice(0, maxTokens - 2), id('[SEP]')];
}
