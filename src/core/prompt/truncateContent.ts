/** Contents longer than this many code points are cut (the reference pipeline's rule). */
export const maxContentCodePoints = 8000;

const headLength = 500;
const middleLength = 200;
const tailLength = 300;
const gap = '\n...\n';

/**
 * Cuts a long message the way the reference pipeline does: its first 500 code points, `\n...\n`,
 * 200 starting at ⌊(length − 200) / 2⌋, `\n...\n`, its last 300. Lengths count Unicode code points
 * as Python does, so an emoji is one character and is never split in half.
 */
export function truncateContent(content: string): string {
  const codePoints = Array.from(content);
  const length = codePoints.length;
  if (length <= maxContentCodePoints) return content;
  const middleStart = Math.floor((length - middleLength) / 2);
  return [
    codePoints.slice(0, headLength).join(''),
    codePoints.slice(middleStart, middleStart + middleLength).join(''),
    codePoints.slice(length - tailLength).join(''),
  ].join(gap);
}
