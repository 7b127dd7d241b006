/**
 * The reference pipeline's overlap rule for a window whose first `overlapCount` messages repeat the
 * end of the previous window. The reference template reads `…JSON.\n\n{overlap_rule}\n\nHere is…`,
 * and its batch extractor (`extract_helpers._build_prompt`, which produced the reference memories)
 * strips the rule text before substituting it, so the block carries no newline of its own and stands
 * between ONE empty line above and ONE below.
 */
export function overlapRuleText(overlapCount: number): string {
  if (!Number.isInteger(overlapCount) || overlapCount < 1) {
    throw new RangeError(
      `The overlap rule needs an overlap of at least 1 message, got ${overlapCount}.`,
    );
  }
  const k = overlapCount;
  return [
    '========================',
    'Input and Overlap Context Rules',
    '========================',
    '',
    'You will receive a "current conversation segment".',
    `The first ${k} messages in the input, namely messages numbered 1 to ${k}, are overlapping context from the previous segment and must not be used as new memory sources.`,
    `The first ${k} messages may only be used to understand later messages; the content that is actually allowed for extraction starts from message ${k + 1}.`,
  ].join('\n');
}
