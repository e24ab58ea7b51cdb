import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { messageLanguageSchema, sentimentLabelSchema } from '@parley/common';

/**
 * The labelled customer-care set that triage is measured on (tests and `npm run bench --
 * triage`): short messages in English, Spanish and French balanced over the three labels, plus
 * messages in other languages that must never be taken for one of the three. The test third
 * was fixed before the lexicons were written and is never tuned on.
 */
export const careMessageSchema = z.strictObject({
  id: z.string().regex(/^[a-z]{2}-\d{3}$/),
  language: messageLanguageSchema,
  label: sentimentLabelSchema,
  style: z.enum(['x_reply', 'fb_comment', 'dm']),
  split: z.enum(['train', 'test']),
  text: z.string().min(1),
});
export type CareMessage = z.infer<typeof careMessageSchema>;

/** Read from the sources (tests and the bench run from them; the build does not ship the set). */
export const CARE_SET_FILE = path.resolve(__dirname, '..', '..', 'src', 'triage', 'data', 'care-set.jsonl');
/** 45 more, written after the lexicons in phrasing the care set does not use; all "test". */
export const CARE_FRESH_FILE = path.resolve(path.dirname(CARE_SET_FILE), 'care-fresh.jsonl');

export function loadCareSet(file = CARE_SET_FILE): CareMessage[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const parsed = careMessageSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${path.basename(file)} line ${index + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}
