import { standInShape } from './miniLmStandInGraph';

/**
 * TEST ONLY: the tokenizer files of a BERT WordPiece tokenizer of all-MiniLM-L6-v2's kind
 * (lower-casing, accents stripped, [CLS] … [SEP]) over a small vocabulary: the special tokens,
 * every printable ASCII character alone and as a `##` continuation, a few common endings, then the
 * given words. Any ASCII text tokenizes without [UNK]; words of the list are one token each, as
 * most English words are in the real 30,522-token vocabulary.
 */
const specialTokens = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const endings = ['s', 'es', 'ed', 'ing', 'ly', 'er', 'ers', 'est', 'ion', 'ions', "'s"];

/** The words of `texts` as BERT's pre-tokenizer splits them (letters and digits), lower-cased. */
export function vocabularyWords(texts: Iterable<string>, limit: number): string[] {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([word]) => word)
    .sort();
}

export function standInVocabulary(words: readonly string[]): string[] {
  const characters = Array.from({ length: 126 - 33 + 1 }, (_, i) => String.fromCharCode(33 + i))
    .map((character) => character.toLowerCase())
    .filter((character, index, all) => all.indexOf(character) === index);
  const tokens = [
    ...specialTokens,
    ...characters,
    ...characters.map((character) => `##${character}`),
    ...endings.map((ending) => `##${ending}`),
    ...words,
  ];
  return tokens.filter((token, index) => tokens.indexOf(token) === index);
}

export function standInTokenizerFiles(vocabulary: readonly string[]): Record<string, unknown> {
  const vocab = Object.fromEntries(vocabulary.map((token, id) => [token, id]));
  const special = (content: string) => ({
    id: vocab[content],
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const cls = { SpecialToken: { id: '[CLS]', type_id: 0 } };
  return {
    'tokenizer.json': {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: specialTokens.map(special),
      normalizer: {
        type: 'BertNormalizer',
        clean_text: true,
        handle_chinese_chars: true,
        strip_accents: null,
        lowercase: true,
      },
      pre_tokenizer: { type: 'BertPreTokenizer' },
      post_processor: {
        type: 'TemplateProcessing',
        single: [
          cls,
          { Sequence: { id: 'A', type_id: 0 } },
          { SpecialToken: { id: '[SEP]', type_id: 0 } },
        ],
        pair: [
          cls,
          { Sequence: { id: 'A', type_id: 0 } },
          { SpecialToken: { id: '[SEP]', type_id: 0 } },
          { Sequence: { id: 'B', type_id: 1 } },
          { SpecialToken: { id: '[SEP]', type_id: 1 } },
        ],
        special_tokens: {
          '[CLS]': { id: '[CLS]', ids: [vocab['[CLS]']], tokens: ['[CLS]'] },
          '[SEP]': { id: '[SEP]', ids: [vocab['[SEP]']], tokens: ['[SEP]'] },
        },
      },
      decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
      model: {
        type: 'WordPiece',
        unk_token: '[UNK]',
        continuing_subword_prefix: '##',
        max_input_chars_per_word: 100,
        vocab,
      },
    },
    'tokenizer_config.json': {
      tokenizer_class: 'BertTokenizer',
      do_lower_case: true,
      model_max_length: 512,
      cls_token: '[CLS]',
      sep_token: '[SEP]',
      pad_token: '[PAD]',
      unk_token: '[UNK]',
      mask_token: '[MASK]',
    },
    'config.json': {
      model_type: 'bert',
      architectures: ['BertModel'],
      hidden_size: standInShape.hidden,
      num_attention_heads: standInShape.heads,
      num_hidden_layers: standInShape.layers,
      intermediate_size: standInShape.intermediate,
      hidden_act: 'gelu',
      layer_norm_eps: 1e-12,
      max_position_embeddings: standInShape.positions,
      type_vocab_size: standInShape.types,
      vocab_size: vocabulary.length,
      pad_token_id: 0,
    },
  };
}
