import { z } from 'zod';
import { BOT_DEFAULT_LANGUAGE, botLanguageSchema } from './bot';

/**
 * The bot's knowledge base (/api/bot/answers): common questions, asked in several ways per
 * language, with one answer per language, which admins edit. The bot matches a customer's words
 * against the variants locally (backend/src/bot/answers.matcher.ts).
 */

export const botAnswerVisibilitySchema = z.enum(['public', 'private', 'both']);
export type BotAnswerVisibility = z.infer<typeof botAnswerVisibilitySchema>;

export const botQuestionSchema = z.strictObject({
  language: botLanguageSchema,
  text: z.string().trim().min(1, 'must not be empty').max(500),
});
export const botAnswerTextSchema = z.strictObject({
  language: botLanguageSchema,
  text: z.string().trim().min(1, 'must not be empty').max(2_000),
});

const answerFields = {
  /** A short key for reports and the hand-off summary ("baggage", "refunds"). */
  intent: z.string().trim().regex(/^[a-z0-9][a-z0-9_-]{0,59}$/, 'use lower-case letters, digits, - or _'),
  /** Ways customers ask it, per language. */
  questions: z.array(botQuestionSchema).min(1, 'give at least one question').max(200),
  /** One answer per language; the default language's is required. */
  answers: z.array(botAnswerTextSchema).min(1).max(10),
  /** Where the bot may give it: public comments, private messages, or both. */
  visibility: botAnswerVisibilitySchema.default('both'),
  active: z.boolean().default(true),
};

const oneAnswerPerLanguage = (answers: { language: string }[], ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  answers.forEach((answer, index) => {
    if (seen.has(answer.language)) ctx.addIssue({ code: 'custom', path: ['answers', index, 'language'], message: `a second answer in ${answer.language}` });
    seen.add(answer.language);
  });
  if (!seen.has(BOT_DEFAULT_LANGUAGE)) ctx.addIssue({ code: 'custom', path: ['answers'], message: `an answer in the default language (${BOT_DEFAULT_LANGUAGE}) is required` });
};

export const botAnswerInputSchema = z.strictObject(answerFields).superRefine((input, ctx) => oneAnswerPerLanguage(input.answers, ctx));
export type BotAnswerInput = z.input<typeof botAnswerInputSchema>;

export const botAnswerSchema = z.object({
  id: z.string(),
  intent: z.string(),
  questions: z.array(botQuestionSchema),
  answers: z.array(botAnswerTextSchema),
  visibility: botAnswerVisibilitySchema,
  active: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type BotAnswer = z.infer<typeof botAnswerSchema>;
export const botAnswerListSchema = z.object({ items: z.array(botAnswerSchema) });
export type BotAnswerList = z.infer<typeof botAnswerListSchema>;

/** POST /api/bot/answers/match: what the bot would answer to a customer's words ("test a question"). */
export const botAnswerMatchInputSchema = z.strictObject({
  text: z.string().trim().min(1, 'must not be empty').max(10_000),
  /** The customer's language (ISO 639-1); omitted or another than the bot's: every language's questions are tried. */
  language: z.string().trim().toLowerCase().regex(/^([a-z]{2}|und)$/, 'use a two-letter language code such as es or fr').optional(),
  visibility: z.enum(['public', 'private']).default('private'),
});
export type BotAnswerMatchInput = z.input<typeof botAnswerMatchInputSchema>;

/** The entry that answers a customer's words, the answer's text and language, and how sure the match is (0..1). */
export const botAnswerMatchSchema = z.object({
  answerId: z.string(),
  intent: z.string(),
  text: z.string(),
  language: botLanguageSchema,
  confidence: z.number().min(0).max(1),
});
export type BotAnswerMatch = z.infer<typeof botAnswerMatchSchema>;
export const botAnswerMatchResponseSchema = z.object({
  /** What the bot would answer: null when no entry reaches the threshold. */
  match: botAnswerMatchSchema.nullable(),
  /** The best-scoring entry even under the threshold, so an admin sees how far a question is from it. */
  closest: botAnswerMatchSchema.nullable(),
  /** The confidence a match needs. */
  threshold: z.number().min(0).max(1),
});
export type BotAnswerMatchResponse = z.infer<typeof botAnswerMatchResponseSchema>;
