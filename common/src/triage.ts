import { z } from 'zod';

/**
 * Triage: what Parley reads from a customer's message (language, sentiment) and why a ticket
 * got its priority. The backend's triage/ computes them locally; the inbox shows them.
 */

/** ISO 639-1 code of a message's language, or "und" when it cannot be told. */
export const messageLanguageSchema = z.string().regex(/^([a-z]{2}|und)$/);
export const UNDETERMINED_LANGUAGE = 'und';

export const sentimentLabelSchema = z.enum(['negative', 'neutral', 'positive']);
export type SentimentLabel = z.infer<typeof sentimentLabelSchema>;

/** score from -1 (most negative) to 1 (most positive); label is what the score means for care. */
export const sentimentSchema = z.object({ score: z.number().min(-1).max(1), label: sentimentLabelSchema });
export type Sentiment = z.infer<typeof sentimentSchema>;
