import { z } from 'zod';
import { objectIdSchema } from './users';

/** The same reply in another language (ISO 639-1): inserted when the customer writes in it. */
export const cannedTranslationSchema = z.strictObject({
  language: z.string().trim().toLowerCase().regex(/^[a-z]{2}$/, 'use a two-letter language code such as es or fr'),
  text: z.string().trim().min(1).max(5_000),
});
export type CannedTranslation = z.infer<typeof cannedTranslationSchema>;

/** A saved reply an agent inserts with `/shortcut`; {{first_name}} and {{agent_name}} are filled in by the composer. */
export const cannedResponseSchema = z.object({
  id: objectIdSchema,
  shortcut: z.string(),
  title: z.string(),
  text: z.string(),
  translations: z.array(cannedTranslationSchema).default([]),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type CannedResponse = z.infer<typeof cannedResponseSchema>;

export const cannedResponseInputSchema = z
  .object({
    shortcut: z.string().trim().regex(/^[a-z0-9_-]{1,40}$/, 'use 1–40 lowercase letters, digits, - or _'),
    title: z.string().trim().min(1).max(120),
    text: z.string().trim().min(1).max(5_000),
    translations: z
      .array(cannedTranslationSchema)
      .max(30)
      .refine((items) => new Set(items.map((item) => item.language)).size === items.length, 'one text per language')
      .default([]),
  })
  .strict();
export type CannedResponseInput = z.infer<typeof cannedResponseInputSchema>;

export const cannedResponseListSchema = z.object({ items: z.array(cannedResponseSchema) });
export type CannedResponseList = z.infer<typeof cannedResponseListSchema>;

/** The canned reply's text in the customer's language (triage's reading of their latest message), else its main text. */
export function cannedTextFor(canned: Pick<CannedResponse, 'text' | 'translations'>, language: string | null | undefined): string {
  const wanted = language?.toLowerCase().split('-')[0];
  return canned.translations.find((translation) => translation.language === wanted)?.text ?? canned.text;
}
