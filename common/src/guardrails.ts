import { z } from 'zod';

/**
 * Guardrails on what the brand says in public: the shape of a finding, shared by the check
 * (one module, run by the server in the one outbound path and by the composer as the agent
 * types), the 422 answer and the inbox. The checks themselves live beside this contract.
 */

export const guardrailFindingKindSchema = z.enum([
  /** Personal data that belongs in a private conversation. */
  'email',
  'phone',
  'card',
  'iban',
  'reference',
  'address',
  /** A hashtag the brand never used, or one trending in recent traffic: needs a second look. */
  'hashtag',
  /** A word or phrase on the brand's blocklist. */
  'blocklist',
  /** A mention of an account other than the one answered. */
  'mention',
  /** A link outside the allow-list. */
  'link',
]);
export type GuardrailFindingKind = z.infer<typeof guardrailFindingKindSchema>;

/**
 * A recent public post that shows how a hashtag is used (a customer's mention or comment on
 * the channel), shown with the warning so the agent sees why it needs a second look.
 */
export const guardrailExampleSchema = z.object({
  messageId: z.string(),
  ticketId: z.string().nullable(),
  text: z.string(),
  authorName: z.string().nullable(),
  authorHandle: z.string().nullable(),
  sentAt: z.iso.datetime(),
});
export type GuardrailExample = z.infer<typeof guardrailExampleSchema>;

export const guardrailFindingSchema = z.object({
  kind: guardrailFindingKindSchema,
  /** block: the reply cannot go out as it is; warn: it goes out once the agent confirms it. */
  severity: z.enum(['block', 'warn']),
  /** The text found, and where (UTF-16 offsets into the reply, end exclusive, as the composer highlights it). */
  text: z.string(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  /** Why, in words the agent reads next to the span. */
  message: z.string(),
  /**
   * What the agent sends in `confirm` to say "I looked, send it" (warnings only), e.g.
   * "hashtag:#notguilty".
   */
  confirmKey: z.string().optional(),
  /** For a hashtag: recent public posts that used it, newest first. */
  examples: z.array(guardrailExampleSchema).optional(),
});
export type GuardrailFinding = z.infer<typeof guardrailFindingSchema>;

/** The 422 a public reply held back by a guardrail answers: the error shape, with the findings. */
export const guardrailErrorBodySchema = z.object({
  error: z.object({
    code: z.literal('guardrail'),
    message: z.string(),
    /** The text held back: a reply's `text`, a move to private's `publicText`. */
    field: z.enum(['text', 'publicText']),
    findings: z.array(guardrailFindingSchema).min(1),
  }),
});
export type GuardrailErrorBody = z.infer<typeof guardrailErrorBodySchema>;
