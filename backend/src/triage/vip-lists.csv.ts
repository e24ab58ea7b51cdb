import { CsvError, parse } from 'csv-parse/sync';
import {
  connectorKindSchema,
  VIP_IMPORT_COLUMNS,
  VIP_IMPORT_MAX_ROWS,
  vipEntryInputSchema,
  type VipImportColumn,
  type VipImportError,
} from '@parley/common';
import type { z } from 'zod';
import { Invalid, TooLarge } from '../http/errors';

export type VipEntryFields = z.output<typeof vipEntryInputSchema>;

export interface ParsedVipCsv {
  /** The good lines, each with the physical line its entry starts on. */
  rows: Array<{ line: number; entry: VipEntryFields }>;
  errors: VipImportError[];
}

/** A field longer than this is a quote left open swallowing the lines after it, not a name. */
const MAX_RECORD_CHARS = 4_096;
/** A file this broken is the wrong file: the report stops listing, and reading, here. */
const MAX_ERRORS = 1_000;

const fieldOfColumn: Record<VipImportColumn, keyof VipEntryFields> = {
  platform: 'platform',
  handle: 'handle',
  external_id: 'externalId',
  display_name: 'displayName',
  note: 'note',
};
const columnOfField = Object.fromEntries(Object.entries(fieldOfColumn).map(([column, field]) => [field, column])) as Record<keyof VipEntryFields, VipImportColumn>;

const isColumn = (name: string): name is VipImportColumn => (VIP_IMPORT_COLUMNS as readonly string[]).includes(name);

/**
 * Where each physical line starts, in bytes: a line ends at LF, CRLF or a lone CR. The
 * parser's own line count takes a CRLF inside a quoted field for two lines, so the report
 * counts from byte offsets instead.
 */
function lineStartsOf(csv: Buffer): number[] {
  const starts = [0];
  for (let index = 0; index < csv.length; index += 1) {
    const byte = csv[index];
    if (byte === 0x0a || (byte === 0x0d && csv[index + 1] !== 0x0a)) starts.push(index + 1);
  }
  return starts;
}

/** 1-based line of a byte offset. */
function lineAt(starts: number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((starts[middle] ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  return low + 1;
}

/** Where the record after `offset` begins: past the empty lines the parser skips. */
function recordStart(csv: Buffer, offset: number): number {
  let at = offset;
  while (at < csv.length && (csv[at] === 0x0a || csv[at] === 0x0d)) at += 1;
  return at;
}

function describe(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quote opens a field here and is never closed';
    case 'CSV_MAX_RECORD_SIZE':
      return `a field runs past ${MAX_RECORD_CHARS.toLocaleString('en')} characters from here (a quote left open?)`;
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'text follows the closing quote of a field: quote the whole field and double the quotes inside it ("")';
    case 'INVALID_OPENING_QUOTE':
      return 'a quote inside a field that is not quoted: quote the whole field and double the quotes inside it ("")';
    default:
      return error.message;
  }
}

interface Header {
  columns: VipImportColumn[];
}

function readHeader(record: string[]): Header {
  const columns: VipImportColumn[] = [];
  for (const written of record) {
    const name = written.trim().toLowerCase();
    if (!isColumn(name)) throw new Invalid(`Unknown column "${written.trim()}" in the header: the columns are ${VIP_IMPORT_COLUMNS.join(', ')}`, written.trim() || 'csv');
    if (columns.includes(name)) throw new Invalid(`The column ${name} appears twice in the header`, name);
    columns.push(name);
  }
  if (!columns.includes('platform')) throw new Invalid('The header has no platform column', 'platform');
  if (!columns.includes('handle') && !columns.includes('external_id')) throw new Invalid('The header needs a handle or an external_id column', 'handle');
  return { columns };
}

type RowResult = { entry: VipEntryFields } | { field: VipImportColumn | null; message: string };

function readRow(header: Header, record: string[]): RowResult {
  if (record.length > header.columns.length) {
    return { field: null, message: `${record.length} fields where the header names ${header.columns.length} columns (a comma that needs quotes?)` };
  }
  // A row may stop early (spreadsheets drop empty cells at the end): the missing ones are empty.
  const value = (column: VipImportColumn) => record[header.columns.indexOf(column)] ?? '';
  const platform = value('platform').trim().toLowerCase();
  if (!platform) return { field: 'platform', message: `is empty: use one of ${connectorKindSchema.options.join(', ')}` };
  if (!connectorKindSchema.safeParse(platform).success) return { field: 'platform', message: `"${value('platform').trim()}" is not a platform: use one of ${connectorKindSchema.options.join(', ')}` };
  if (!value('handle').trim() && !value('external_id').trim()) return { field: 'handle', message: 'give a handle or an external_id' };
  const parsed = vipEntryInputSchema.safeParse({
    platform,
    handle: value('handle'),
    externalId: value('external_id'),
    displayName: value('display_name'),
    note: value('note'),
  });
  if (parsed.success) return { entry: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue?.path[0];
  const column = typeof field === 'string' && field in columnOfField ? columnOfField[field as keyof VipEntryFields] : null;
  return { field: column, message: issue?.message ?? 'is not valid' };
}

/**
 * Reads a VIP import: a header naming the columns (any order), then one entry a line. The
 * parsing is csv-parse's (quotes, commas and line breaks in quotes, BOM, CRLF). A line it
 * cannot parse is reported and reading goes on from the next physical line, so one stray
 * quote costs that line, not the rest of the file. A bad header is a 400; more than
 * VIP_IMPORT_MAX_ROWS entries a 413.
 */
export function parseVipCsv(csv: Buffer): ParsedVipCsv {
  const starts = lineStartsOf(csv);
  const rows: ParsedVipCsv['rows'] = [];
  const errors: VipImportError[] = [];
  let header: Header | undefined;
  let count = 0;

  const take = (record: string[], line: number) => {
    if (record.every((value) => value.trim() === '')) return;
    if (!header) {
      header = readHeader(record);
      return;
    }
    count += 1;
    if (count > VIP_IMPORT_MAX_ROWS) throw new TooLarge(`An import takes at most ${VIP_IMPORT_MAX_ROWS.toLocaleString('en')} lines: split the file`);
    const result = readRow(header, record);
    if ('entry' in result) rows.push({ line, entry: result.entry });
    else errors.push({ line, field: result.field, message: result.message });
  };

  let segment = 0;
  let stoppedAt: number | undefined;
  reading: while (segment < csv.length) {
    const records: Array<{ record: string[]; start: number }> = [];
    let consumed = segment;
    let failure: CsvError | undefined;
    try {
      parse(csv.subarray(segment), {
        bom: segment === 0,
        skip_empty_lines: true,
        relax_column_count: true,
        max_record_size: MAX_RECORD_CHARS,
        on_record: (record: string[], context) => {
          records.push({ record, start: recordStart(csv, consumed) });
          consumed = segment + context.bytes;
          return null;
        },
      });
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      failure = error;
    }
    for (const { record, start } of records) {
      if (errors.length >= MAX_ERRORS) {
        stoppedAt = lineAt(starts, start);
        break reading;
      }
      take(record, lineAt(starts, start));
    }
    if (!failure) break;
    const line = lineAt(starts, recordStart(csv, consumed));
    if (!header) throw new Invalid(`The header (line ${line}) cannot be read: ${describe(failure)}`, 'csv');
    if (errors.length >= MAX_ERRORS) {
      stoppedAt = line;
      break;
    }
    errors.push({ line, field: null, message: describe(failure) });
    // Go on with the line after the one the broken entry started on.
    segment = starts[line] ?? csv.length;
  }
  if (stoppedAt !== undefined) {
    errors.push({ line: stoppedAt, field: null, message: `${MAX_ERRORS.toLocaleString('en')} bad lines already: the file was not read from here on` });
  }
  if (!header) throw new Invalid(`The CSV is empty: its first line names the columns (${VIP_IMPORT_COLUMNS.join(',')})`, 'csv');
  return { rows, errors };
}
