import type { Request } from 'express';
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

type QuerySchema = z.ZodObject<z.ZodRawShape>;
const strictForms = new WeakMap<QuerySchema, QuerySchema>();

/**
 * Parses a request's query string with the endpoint's query schema from common/ (noQuerySchema
 * when it takes none). The schema is made strict here whatever it says, so no endpoint can let
 * an unknown or operator-shaped key (`?cursor[$gt]=`, which express's simple parser hands over
 * as that literal key) pass silently: it is a 400 naming the key.
 */
export function parseQuery<S extends QuerySchema>(schema: S, req: Request): z.output<S> {
  let strict = strictForms.get(schema);
  if (!strict) {
    strict = schema.strict();
    strictForms.set(schema, strict);
  }
  // An unknown key is named first, whatever else is missing: it explains the rest (a misspelt required parameter).
  const unknown = Object.keys(req.query as Record<string, unknown>).find((key) => !(key in schema.shape));
  if (unknown !== undefined) throw new Invalid(`${unknown} is not a parameter of this endpoint`, unknown);
  return parseInput(strict, req.query) as z.output<S>;
}
