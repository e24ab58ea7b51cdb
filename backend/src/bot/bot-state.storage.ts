import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder-core';
import { isDuplicateKeyError } from '../db/errors';
import type { Locks } from '../lib/locks';
import { BotState, type BotStateDoc } from './bot-state.model';

/** What botbuilder's own storages throw when a write's eTag is not the stored one. */
export class ETagConflict extends Error {
  constructor(key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
  }
}

/**
 * botbuilder's Storage in MongoDB, with its eTag concurrency: an item written with the eTag it
 * was read with replaces the stored one only if nobody wrote it since (else ETagConflict, and
 * the turn reads it again); without an eTag, or with "*", it overwrites. FerretDB's updates
 * are a read and a write, so each key's check-and-write runs under its Redis lock; a first
 * write is a plain insert, which the unique _id lets through once.
 */
export class MongoBotStorage implements Storage {
  constructor(private readonly locks: Locks) {}

  async read(keys: string[]): Promise<StoreItems> {
    // One _id lookup each: FerretDB pushes those down, never an $in.
    const docs = await Promise.all(keys.map((key) => BotState.findById(key).lean<BotStateDoc>()));
    const items: StoreItems = {};
    for (const doc of docs) if (doc) items[doc._id] = { ...(JSON.parse(doc.item) as object), eTag: doc.eTag };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, change] of Object.entries(changes)) {
      const { eTag, ...item } = (change ?? {}) as { eTag?: string } & Record<string, unknown>;
      await this.locks.withLock(`bot-state:${key}`, () => writeOne(key, item, eTag));
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) await BotState.deleteOne({ _id: key });
  }
}

async function writeOne(key: string, item: Record<string, unknown>, eTag: string | undefined): Promise<void> {
  const next = { eTag: randomUUID(), item: JSON.stringify(item), updatedAt: new Date() };
  const overwrite = !eTag || eTag === '*';
  const stored = await BotState.findById(key, { eTag: 1 }).lean<Pick<BotStateDoc, 'eTag'>>();
  if (!stored) {
    try {
      await BotState.create({ _id: key, ...next });
      return;
    } catch (error) {
      // Someone whose lock expired got there first: their write stands unless this one overwrites.
      if (!isDuplicateKeyError(error)) throw error;
      if (!overwrite) throw new ETagConflict(key);
    }
  } else if (!overwrite && stored.eTag !== eTag) {
    throw new ETagConflict(key);
  }
  const written = await BotState.updateOne(overwrite ? { _id: key } : { _id: key, eTag }, { $set: next });
  if (!overwrite && written.matchedCount === 0) throw new ETagConflict(key);
}
