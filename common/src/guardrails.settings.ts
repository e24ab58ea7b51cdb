import { z } from 'zod';
import { MAX_REFERENCE_PATTERN_LENGTH, referencePatternProblem } from './guardrails.patterns';

/**
 * What the brand configures about its public replies: per channel (`settings.guardrails` of a
 * channel) and brand-wide (GET/PUT /api/guardrails). A channel adds to the brand's lists and
 * may set its own mentions and links policy; mergeGuardrailSettings says exactly how.
 */

export const guardrailActionSchema = z.enum(['warn', 'block']);
export type GuardrailAction = z.infer<typeof guardrailActionSchema>;

export const blocklistEntrySchema = z.strictObject({
  phrase: z.string().trim().min(1, 'must not be empty').max(100),
  action: guardrailActionSchema.default('block'),
});
export type BlocklistEntry = z.infer<typeof blocklistEntrySchema>;

const referencePatternSchema = z
  .string()
  .max(MAX_REFERENCE_PATTERN_LENGTH)
  .superRefine((pattern, context) => {
    const problem = referencePatternProblem(pattern);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });

/** A handle as people type it, "@AcmeHelp" or "acmehelp": kept lower-case, without the @. */
const handleSchema = z
  .string()
  .trim()
  .regex(/^@?[A-Za-z0-9_.]{1,30}$/, 'is not an account handle')
  .transform((handle) => handle.replace(/^@/, '').toLowerCase());

/** A domain as people paste it, "https://www.acme.com/help" included: kept as its host (no www.), lower-case; it allows its subdomains. */
const domainSchema = z
  .string()
  .trim()
  .transform((value) =>
    value
      .toLowerCase()
      .replace(/^[a-z]+:\/\//, '')
      .replace(/[/?#:].*$/, '')
      .replace(/^www\./, '')
      .replace(/\.$/, ''),
  )
  .pipe(z.string().regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/, 'is not a domain'));

export const mentionsPolicySchema = z.enum(['allow', 'warn', 'block']);

/** One channel's guardrails, or the brand's; every field optional on input. */
export const guardrailSettingsSchema = z.strictObject({
  /** Order or booking references, as regular expressions (case-insensitive); a match blocks a public reply. */
  referencePatterns: z.array(referencePatternSchema).max(20).default([]),
  /** Words and phrases, matched as whole words whatever the case and accents. */
  blocklist: z.array(blocklistEntrySchema).max(500).default([]),
  /** Mentions of accounts other than the one answered (and allowedMentions). Default warn. */
  mentions: mentionsPolicySchema.optional(),
  /** Accounts that may always be mentioned (the brand's other accounts, partners). */
  allowedMentions: z.array(handleSchema).max(50).default([]),
  /** When set, links to other domains (and their subdomains) are flagged. */
  allowedLinkDomains: z.array(domainSchema).max(100).default([]),
  /** What a link outside allowedLinkDomains does. Default warn. */
  links: guardrailActionSchema.optional(),
});
export type GuardrailSettings = z.output<typeof guardrailSettingsSchema>;
export type GuardrailSettingsInput = z.input<typeof guardrailSettingsSchema>;

/**
 * Guardrails as stored on a channel, read back without validating the patterns again: one
 * that is no longer usable is skipped by the check (compileReferencePattern), never fatal.
 */
export const storedGuardrailSettingsSchema = guardrailSettingsSchema.extend({ referencePatterns: z.array(z.string()).default([]) });

/** The brand-wide guardrails as GET/PUT /api/guardrails answer them. */
export const globalGuardrailsSchema = z.object({
  settings: guardrailSettingsSchema,
  updatedAt: z.iso.datetime().nullable(),
  updatedBy: z.string().nullable(),
});
export type GlobalGuardrails = z.infer<typeof globalGuardrailsSchema>;

/** PUT /api/guardrails: the brand's guardrails, replaced as a whole. */
export const globalGuardrailsInputSchema = z.strictObject({ settings: guardrailSettingsSchema });
export type GlobalGuardrailsInput = z.input<typeof globalGuardrailsInputSchema>;

/** What a check runs with: the brand's and the channel's guardrails merged. */
export const effectiveGuardrailSettingsSchema = z.object({
  referencePatterns: z.array(z.string()),
  blocklist: z.array(z.object({ phrase: z.string(), action: guardrailActionSchema })),
  mentions: mentionsPolicySchema,
  allowedMentions: z.array(z.string()),
  allowedLinkDomains: z.array(z.string()),
  links: guardrailActionSchema,
});
export type EffectiveGuardrailSettings = z.infer<typeof effectiveGuardrailSettingsSchema>;

export const DEFAULT_MENTIONS_POLICY = 'warn' as const;
export const DEFAULT_LINKS_POLICY = 'warn' as const;

/** Lower-case, accents and ligatures folded away: how blocklist phrases compare. */
export function foldForComparison(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/\s+/g, ' ')
    .trim();
}

const unique = (values: readonly string[]) => [...new Set(values)];

/**
 * The brand's guardrails with a channel's on top: lists add up (a phrase in both keeps the
 * stricter action), the channel's mentions and links policy wins where it sets one.
 */
export function mergeGuardrailSettings(brand: Partial<GuardrailSettings> | undefined, channel: Partial<GuardrailSettings> | undefined): EffectiveGuardrailSettings {
  const phrases = new Map<string, { phrase: string; action: GuardrailAction }>();
  for (const entry of [...(brand?.blocklist ?? []), ...(channel?.blocklist ?? [])]) {
    const key = foldForComparison(entry.phrase);
    const known = phrases.get(key);
    if (!known || (known.action === 'warn' && entry.action === 'block')) phrases.set(key, { phrase: entry.phrase, action: entry.action });
  }
  return {
    referencePatterns: unique([...(brand?.referencePatterns ?? []), ...(channel?.referencePatterns ?? [])]),
    blocklist: [...phrases.values()],
    mentions: channel?.mentions ?? brand?.mentions ?? DEFAULT_MENTIONS_POLICY,
    allowedMentions: unique([...(brand?.allowedMentions ?? []), ...(channel?.allowedMentions ?? [])]),
    allowedLinkDomains: unique([...(brand?.allowedLinkDomains ?? []), ...(channel?.allowedLinkDomains ?? [])]),
    links: channel?.links ?? brand?.links ?? DEFAULT_LINKS_POLICY,
  };
}

/** Everything the one check needs about the reply's situation (GET /api/tickets/:id/guardrails). */
export const guardrailContextSchema = z.object({
  settings: effectiveGuardrailSettingsSchema,
  /** Handles of the account answered (lower-case, no @): mentioning them is fine. */
  answeredHandles: z.array(z.string()),
  /** The conversation's language (ISO 639-1), when known: which national phone formats to look for. */
  language: z.string().nullable(),
});
export type GuardrailContext = z.infer<typeof guardrailContextSchema>;
