import { countCodePoints, indexAfterCodePoints, indexOfLastCodePoints } from '../text/codePoints';

/** Contents longer than this many code points are cut (the reference pipeline's rule). */
export const maxContentCodePoints = 8000;

const headLength = 500;
const middleLength = 200;
const tailLength = 300;
/** What stands between the kept parts of a cut message. */
export const contentCutGap = '\n...\n';

/**
 * The three parts the reference pipeline keeps of a content over 8000 code points: its first 500,
 * 200 starting at ⌊(length − 200) / 2⌋ and its last 300; null when the content is kept whole.
 * Lengths count Unicode code points as Python does, so an emoji is one character and is never
 * split in half. The text is walked, not copied, so a message of hundreds of megabytes costs one
 * pass and no memory.
 */
export function contentCutParts(content: string): [string, string, string] | null {
  // A code point takes one or two UTF-16 units, so a short string needs no counting.
  if (content.length <= maxContentCodePoints) return null;
  const length = countCodePoints(content);
  if (length <= maxContentCodePoints) return null;
  const middleStart = indexAfterCodePoints(content, Math.floor((length - middleLength) / 2));
  return [
    content.slice(0, indexAfterCodePoints(content, headLength)),
    content.slice(middleStart, indexAfterCodePoints(content, middleLength, middleStart)),
    content.slice(indexOfLastCodePoints(content, tailLength)),
  ];
}

/** A long message cut the way the reference pipeline cuts it: `head\n...\nmiddle\n...\ntail`. */
export function truncateContent(content: string): string {
  return contentCutParts(content)?.join(contentCutGap) ?? content;
}
