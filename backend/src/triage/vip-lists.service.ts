import { Types } from 'mongoose';
import type Redis from 'ioredis';
import { vipEntryListQuerySchema, vipListInputSchema, vipListUpdateSchema, type VipImportReport } from '@parley/common';
import type { z } from 'zod';
import { isDuplicateKeyError, withConflict } from '../db/errors';
import { toPage } from '../http/paging';
import { NotFound } from '../http/errors';
import type { Locks } from '../lib/locks';
import type { Logger } from '../logger';
import type { UserDoc } from '../users/user.model';
import { forgetVipLists, vipListsVersionKey } from './vip';
import { parseVipCsv, type VipEntryFields } from './vip-lists.csv';
import { entryKey, VipEntry, VipList, type VipEntryDoc, type VipListDoc } from './vip-lists.model';

export interface VipListsDeps {
  locks: Locks;
  redis: Redis;
  /** Redis key prefix (QUEUE_PREFIX). */
  prefix: string;
  log: Logger;
}

type ListFields = z.output<typeof vipListInputSchema>;
type ListPatch = z.output<typeof vipListUpdateSchema>;
type EntryQuery = z.output<typeof vipEntryListQuerySchema>;

/** Entries are written this many at a time. */
const INSERT_BATCH = 1_000;

const isObjectId = (id: string) => /^[a-f0-9]{24}$/.test(id);

const NAME_TAKEN = 'A list with this name exists';

async function findList(id: string): Promise<VipListDoc> {
  const list = isObjectId(id) ? await VipList.findById(id).lean<VipListDoc>() : null;
  if (!list) throw new NotFound('VIP list');
  return list;
}

/** This process forgets the lists at once; the others at their next look at the version (triage/vip.ts). */
async function changed(deps: VipListsDeps): Promise<void> {
  forgetVipLists();
  try {
    await deps.redis.incr(vipListsVersionKey(deps.prefix));
  } catch (error) {
    deps.log.warn({ err: error }, 'could not bump the VIP lists version: other processes see the change at their max age');
  }
}

/**
 * Counts the list's entries again and stores the figure. Counted, not incremented: FerretDB's
 * $inc is not atomic, and a count heals whatever an interrupted write left. The lock keeps a
 * count taken earlier from overwriting a later one.
 */
async function recount(listId: Types.ObjectId, deps: VipListsDeps): Promise<void> {
  await deps.locks.withLock(`vip-list:${listId.toHexString()}:count`, async () => {
    const entryCount = await VipEntry.countDocuments({ listId });
    await VipList.updateOne({ _id: listId }, { $set: { entryCount } });
  });
}

/**
 * A list deleted while entries were being added to it: deleteVipList removes the list before
 * its entries, so a writer that finds its list gone afterwards removes what it wrote.
 */
async function stillThere(listId: Types.ObjectId): Promise<void> {
  if (await VipList.exists({ _id: listId })) return;
  await VipEntry.deleteMany({ listId });
  throw new NotFound('VIP list');
}

export function listVipLists(): Promise<VipListDoc[]> {
  return VipList.find().sort({ nameKey: 1 }).limit(1_000).lean<VipListDoc[]>();
}

export const getVipList = findList;

export async function createVipList(input: ListFields, by: UserDoc, deps: VipListsDeps): Promise<VipListDoc> {
  const created = await withConflict(
    () => VipList.create({ ...input, nameKey: input.name.toLowerCase(), entryCount: 0, createdBy: by._id }),
    NAME_TAKEN,
    'name',
  );
  await changed(deps);
  return created.toObject<VipListDoc>();
}

export async function updateVipList(id: string, patch: ListPatch, deps: VipListsDeps): Promise<VipListDoc> {
  const list = await findList(id);
  const fields = { ...patch, ...(patch.name !== undefined ? { nameKey: patch.name.toLowerCase() } : {}) };
  // FerretDB reports a duplicate caused by an update as code 1; withConflict maps both.
  await withConflict(() => VipList.updateOne({ _id: list._id }, { $set: fields }), NAME_TAKEN, 'name');
  await changed(deps);
  return findList(id);
}

export async function deleteVipList(id: string, deps: VipListsDeps): Promise<void> {
  const list = await findList(id);
  // The list first: from then on its entries match nothing, whatever is left of them.
  await VipList.deleteOne({ _id: list._id });
  await VipEntry.deleteMany({ listId: list._id });
  await changed(deps);
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A list's entries, newest first, cursor paged by _id. */
export async function listVipEntries(listId: string, query: EntryQuery): Promise<{ items: VipEntryDoc[]; nextCursor: string | null }> {
  const list = await findList(listId);
  const conditions: object[] = [];
  if (query.q) {
    const pattern = new RegExp(escapeRegex(query.q), 'i');
    conditions.push({ $or: [{ handle: pattern }, { externalId: pattern }, { displayName: pattern }] });
  }
  if (query.cursor) conditions.push({ _id: { $lt: new Types.ObjectId(query.cursor) } });
  const fetched = await VipEntry.find({ listId: list._id, ...(conditions.length > 0 ? { $and: conditions } : {}) })
    .sort({ _id: -1 })
    .limit(query.limit + 1)
    .lean<VipEntryDoc[]>();
  return toPage(fetched, query.limit, (entry) => entry._id.toHexString());
}

function newEntry(listId: Types.ObjectId, entry: VipEntryFields): Omit<VipEntryDoc, 'createdAt'> {
  return {
    _id: new Types.ObjectId(),
    listId,
    platform: entry.platform,
    key: entryKey(entry),
    handle: entry.handle ?? null,
    externalId: entry.externalId ?? null,
    displayName: entry.displayName ?? null,
    note: entry.note ?? null,
  };
}

export async function addVipEntry(listId: string, input: VipEntryFields, deps: VipListsDeps): Promise<VipEntryDoc> {
  const list = await findList(listId);
  const created = await withConflict(
    () => VipEntry.create(newEntry(list._id, input)),
    'This account is on the list already',
    input.externalId !== undefined ? 'externalId' : 'handle',
  );
  await stillThere(list._id);
  await recount(list._id, deps);
  await changed(deps);
  return created.toObject<VipEntryDoc>();
}

export async function removeVipEntry(listId: string, entryId: string, deps: VipListsDeps): Promise<void> {
  const list = await findList(listId);
  const removed = isObjectId(entryId) ? await VipEntry.deleteOne({ _id: new Types.ObjectId(entryId), listId: list._id }) : null;
  if (!removed?.deletedCount) throw new NotFound('VIP list entry');
  await recount(list._id, deps);
  await changed(deps);
}

/** Inserts new entries; one that another writer stored meanwhile (the unique index says so) is a duplicate. */
async function insertNew(entries: Array<Omit<VipEntryDoc, 'createdAt'>>): Promise<{ inserted: number; duplicates: number }> {
  try {
    await VipEntry.insertMany(entries, { ordered: false });
    return { inserted: entries.length, duplicates: 0 };
  } catch (error) {
    const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
    if (!Array.isArray(writeErrors) || writeErrors.length === 0 || !writeErrors.every((writeError) => isDuplicateKeyError(writeError))) throw error;
    return { inserted: entries.length - writeErrors.length, duplicates: writeErrors.length };
  }
}

/**
 * POST /api/vip-lists/:id/import: the good lines are stored, the bad ones reported by line.
 * An account already on the list, or named twice in the file, is counted as a duplicate.
 */
export async function importVipEntries(listId: string, csv: Buffer, deps: VipListsDeps): Promise<VipImportReport> {
  const list = await findList(listId);
  const { rows, errors } = parseVipCsv(csv);
  const known = await VipEntry.find({ listId: list._id }, { platform: 1, key: 1 }).lean<Pick<VipEntryDoc, 'platform' | 'key'>[]>();
  const seen = new Set(known.map((entry) => `${entry.platform}:${entry.key}`));
  const fresh: Array<Omit<VipEntryDoc, 'createdAt'>> = [];
  let duplicates = 0;
  for (const { entry } of rows) {
    const document = newEntry(list._id, entry);
    const account = `${document.platform}:${document.key}`;
    if (seen.has(account)) duplicates += 1;
    else {
      seen.add(account);
      fresh.push(document);
    }
  }
  let imported = 0;
  for (let start = 0; start < fresh.length; start += INSERT_BATCH) {
    const outcome = await insertNew(fresh.slice(start, start + INSERT_BATCH));
    imported += outcome.inserted;
    duplicates += outcome.duplicates;
  }
  if (imported > 0) {
    await stillThere(list._id);
    await recount(list._id, deps);
    await changed(deps);
  }
  deps.log.info({ listId: list._id.toHexString(), imported, duplicates, errors: errors.length }, 'VIP list import');
  return { imported, duplicates, errors };
}
