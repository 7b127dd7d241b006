import type { z } from 'zod';
import { ItemProblem } from './importError';

function pathText(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text;
}

/** The first problem zod found, one line: `mapping.abc.parent: expected string, received number`. */
export function describeSchemaError(error: z.ZodError): string {
  const [first] = error.issues;
  if (!first) return 'unexpected shape';
  const where = pathText(first.path);
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problems)` : '';
  return `${where === '' ? '' : `${where}: `}${first.message}${more}`;
}

/** Validates one value, throwing a readable message instead of zod's multi-line dump. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ItemProblem(`${what}: ${describeSchemaError(result.error)}`);
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
