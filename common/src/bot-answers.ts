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
