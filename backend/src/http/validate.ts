import type { z } from 'zod';
import { Invalid } from './errors';

/** Parses request input with its zod schema; the first problem becomes a 400 naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix?: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  // An unknown key is named by the key itself (a typo in a filter, {"$where": …}).
  const path = issue ? [...issue.path.map(String), ...(issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [])].join('.') : '';
  const field = [prefix, path].filter(Boolean).join('.') || undefined;
  const message = issue ? `${field ?? 'body'} ${issue.message}` : 'invalid input';
  throw new Invalid(message, field);
}
