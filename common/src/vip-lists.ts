import { z } from 'zod';
import { connectorKindSchema } from './channels';
import { objectIdSchema } from './users';

/**
 * The brand's own lists of people who matter (GET/POST/PATCH/DELETE /api/vip-lists, supervisors
 * and admins): VIP lists lift a contact to the `vip` influence tier, press lists mark
 * journalists; triage decides what each means for a ticket. An entry names one account on one
 * platform by its handle (matched without case) or by the platform's id for it.
 */

export const vipListKindSchema = z.enum(['vip', 'press']);
export type VipListKind = z.infer<typeof vipListKindSchema>;

export const vipListSchema = z.object({
  id: objectIdSchema,
  name: z.string(),
  kind: vipListKindSchema,
  description: z.string(),
  entryCount: z.number().int().nonnegative(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type VipList = z.infer<typeof vipListSchema>;

export const vipListListSchema = z.object({ items: z.array(vipListSchema) });
export type VipListList = z.infer<typeof vipListListSchema>;

const listNameSchema = z.string().trim().min(1, 'must not be empty').max(80);
const descriptionSchema = z.string().trim().max(500);

export const vipListInputSchema = z.strictObject({
  name: listNameSchema,
  kind: vipListKindSchema,
  description: descriptionSchema.default(''),
});
export type VipListInput = z.input<typeof vipListInputSchema>;

/** The kind of a list stays what it was made as: its entries were collected for it. */
export const vipListUpdateSchema = z.strictObject({ name: listNameSchema, description: descriptionSchema }).partial();
export type VipListUpdate = z.infer<typeof vipListUpdateSchema>;

export const vipEntrySchema = z.object({
  id: objectIdSchema,
  listId: objectIdSchema,
  platform: connectorKindSchema,
  /** Without the leading "@". */
  handle: z.string().nullable(),
  externalId: z.string().nullable(),
  displayName: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type VipEntry = z.infer<typeof vipEntrySchema>;

export const vipEntryListSchema = z.object({ items: z.array(vipEntrySchema), nextCursor: z.string().nullable() });
export type VipEntryList = z.infer<typeof vipEntryListSchema>;

/** GET /api/vip-lists/:id/entries: newest first; q finds a handle, id or name containing it, without case. */
export const vipEntryListQuerySchema = z.strictObject({
  q: z.string().trim().min(1).max(100).optional(),
  cursor: objectIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type VipEntryListQuery = z.input<typeof vipEntryListQuerySchema>;

/** Empty text counts as not given: a CSV's empty cell, a form's empty field. */
const optionalText = (check: z.ZodType<string, string>) =>
  z
    .string()
    .optional()
    .transform((value) => value?.trim() || undefined)
    .pipe(check.optional());

/** An account name as people write it, with or without the "@"; kept without it. */
export const vipHandleSchema = z
  .string()
  .transform((handle) => handle.trim().replace(/^@/, ''))
  .pipe(z.string().regex(/^[^\s@,]{1,100}$/u, 'use the account name without spaces, e.g. @parley or parley'));

const entryFields = {
  platform: connectorKindSchema,
  handle: optionalText(vipHandleSchema),
  externalId: optionalText(z.string().regex(/^\S{1,200}$/, 'use the platform id without spaces')),
  displayName: optionalText(z.string().max(200)),
  note: optionalText(z.string().max(1_000)),
};

/** POST /api/vip-lists/:id/entries, and each line of an import: a handle, the platform's id, or both. */
export const vipEntryInputSchema = z.strictObject(entryFields).superRefine((entry, context) => {
  if (entry.handle === undefined && entry.externalId === undefined) {
    context.addIssue({ code: 'custom', path: ['handle'], message: 'give a handle or the platform id (externalId)' });
  }
});
export type VipEntryInput = z.input<typeof vipEntryInputSchema>;

/**
 * POST /api/vip-lists/:id/import as JSON; the same CSV may also be sent as the body itself
 * (Content-Type text/csv). The CSV's header line names its columns, in any order.
 */
export const vipImportJsonSchema = z.strictObject({ csv: z.string() });

export const VIP_IMPORT_COLUMNS = ['platform', 'handle', 'external_id', 'display_name', 'note'] as const;
export type VipImportColumn = (typeof VIP_IMPORT_COLUMNS)[number];

/** At most this many bytes of CSV (413 beyond) and this many lines after the header (413 naming it). */
export const VIP_IMPORT_MAX_BYTES = 2 * 1024 * 1024;
export const VIP_IMPORT_MAX_ROWS = 50_000;

export const vipImportErrorSchema = z.object({
  /** The file's physical line number (the header is 1), where the entry's line starts. */
  line: z.number().int().positive(),
  /** The column at fault; null when the line itself is (too many fields, a broken quote). */
  field: z.enum(VIP_IMPORT_COLUMNS).nullable(),
  message: z.string(),
});
export type VipImportError = z.infer<typeof vipImportErrorSchema>;

/** What an import did: good lines are stored, entries already there (or repeated in the file) counted, bad lines listed. */
export const vipImportReportSchema = z.object({
  imported: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  errors: z.array(vipImportErrorSchema),
});
export type VipImportReport = z.infer<typeof vipImportReportSchema>;
