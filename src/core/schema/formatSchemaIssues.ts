import type { z } from 'zod';

type PathKey = PropertyKey;

/** `memories[3].dimension.memory_type`: the way a person would point at a value in the JSON. */
export function formatIssuePath(path: readonly PathKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? '(answer)' : text;
}

const describeValue = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  return String(value);
};

const describeExpected = (expected: string): string => {
  if (expected === 'int') return 'an integer';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
};

function describeIssue(issue: z.core.$ZodIssue): string {
  const got = 'input' in issue ? `, got ${describeValue(issue.input)}` : '';
  switch (issue.code) {
    case 'invalid_value':
      return `expected one of ${issue.values.map(String).join('|')}${got}`;
    case 'invalid_type':
      if ('input' in issue && issue.input === undefined) {
        return `missing (expected ${describeExpected(issue.expected)})`;
      }
      return `expected ${describeExpected(issue.expected)}${got}`;
    case 'unrecognized_keys':
      return `unexpected key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
    case 'too_small':
      return `must be ${issue.inclusive === false ? '>' : '≥'} ${String(issue.minimum)}${got}`;
    case 'too_big':
      return `must be ${issue.inclusive === false ? '<' : '≤'} ${String(issue.maximum)}${got}`;
    default:
      return issue.message;
  }
}

/**
 * Readable, one clause per problem joined by `; `, e.g.
 * `memories[3].dimension.memory_type: expected one of fact|episodic|profile, got "feeling"`.
 * `basePath` prefixes every path (a memory validated on its own is `memories[3]` of its answer).
 * Values are named only when the schema was run with `{ reportInput: true }`.
 */
export function formatSchemaIssues(
  error: z.ZodError | { issues: readonly z.core.$ZodIssue[] },
  basePath: readonly PathKey[] = [],
): string {
  return error.issues
    .map((issue) => `${formatIssuePath([...basePath, ...issue.path])}: ${describeIssue(issue)}`)
    .join('; ');
}
