import type Redis from 'ioredis';
import type { ConnectorKind, VipListKind } from '@parley/common';
import type { Logger } from '../logger';
import { externalIdKey, handleKey, VipEntry, VipList, type VipEntryDoc, type VipListDoc } from './vip-lists.model';

/** Which of the brand's lists name a contact. vip and press stay apart: the caller decides the tier. */
export interface VipListing {
  vip: boolean;
  press: boolean;
  lists: Array<{ id: string; name: string; kind: VipListKind }>;
}

type ListRef = VipListing['lists'][number];

interface Loaded {
  /** The version in Redis when the load began (null: none there yet, or no Redis told). */
  version: string | null;
  byAccount: Map<string, ListRef[]>;
  loadedAt: number;
  checkedAt: number;
}

/**
 * How other processes learn of a change: every write bumps a version in Redis, which a process
 * reads at most once a second (one GET, nothing from the database) and reloads when it moved.
 * Cheaper than a TTL reload of every entry, and a change shows within a second (plus the
 * reload). A write in this process drops the copy at once instead: the next match waits for
 * the lists as written.
 */
const VERSION_CHECK_MS = 1_000;
/** Reloaded this often even when the version stayed (a change made outside the API, a bump lost to a Redis outage). */
const MAX_AGE_MS = 10 * 60_000;

let shared: { redis: Redis; key: string; log: Logger } | null = null;
let cache: Loaded | null = null;
let loading: { generation: number; done: Promise<Loaded> } | null = null;
/** Bumped by every forget: a load that began before it does not become the cache. */
let generation = 0;

export const vipListsVersionKey = (prefix: string) => `${prefix}:vip-lists:version`;

const accountKey = (platform: ConnectorKind, key: string) => `${platform}:${key}`;

/**
 * Lets this process see the changes other processes make (server.ts, for every role). Without
 * it only this process's own writes, and the max age, refresh the lists.
 */
export function shareVipListChanges(redis: Redis, prefix: string, log: Logger): () => void {
  const mine = { redis, key: vipListsVersionKey(prefix), log };
  shared = mine;
  forgetVipLists();
  return () => {
    if (shared === mine) shared = null;
    forgetVipLists();
  };
}

/** Drops the lists held in memory: the next match reads them again. */
export function forgetVipLists(): void {
  generation += 1;
  cache = null;
}

async function readVersion(): Promise<string | null> {
  return shared ? shared.redis.get(shared.key) : null;
}

async function load(version: string | null): Promise<Loaded> {
  const [lists, entries] = await Promise.all([
    VipList.find({}, { name: 1, kind: 1 }).lean<Pick<VipListDoc, '_id' | 'name' | 'kind'>[]>(),
    VipEntry.find({}, { listId: 1, platform: 1, handle: 1, externalId: 1 }).lean<Pick<VipEntryDoc, 'listId' | 'platform' | 'handle' | 'externalId'>[]>(),
  ]);
  const listById = new Map(lists.map((list) => [list._id.toHexString(), { id: list._id.toHexString(), name: list.name, kind: list.kind }]));
  const byAccount = new Map<string, ListRef[]>();
  const add = (key: string, list: ListRef) => {
    const found = byAccount.get(key);
    if (!found) byAccount.set(key, [list]);
    else if (!found.includes(list)) found.push(list);
  };
  for (const entry of entries) {
    // Entries of a list being deleted (its entries go after it) match nothing.
    const list = listById.get(entry.listId.toHexString());
    if (!list) continue;
    if (entry.handle) add(accountKey(entry.platform, handleKey(entry.handle)), list);
    if (entry.externalId) add(accountKey(entry.platform, externalIdKey(entry.externalId)), list);
  }
  const now = Date.now();
  return { version, byAccount, loadedAt: now, checkedAt: now };
}

function reload(version: string | null): Promise<Loaded> {
  if (loading?.generation === generation) return loading.done;
  const started = generation;
  const done = load(version).then(
    (loaded) => {
      if (generation === started) cache = loaded;
      if (loading?.done === done) loading = null;
      return loaded;
    },
    (error: unknown) => {
      if (loading?.done === done) loading = null;
      throw error;
    },
  );
  loading = { generation: started, done };
  return done;
}

async function current(): Promise<Loaded> {
  const held = cache;
  const now = Date.now();
  if (held && now - held.checkedAt < VERSION_CHECK_MS) return held;
  let version: string | null;
  try {
    version = await readVersion();
  } catch (error) {
    // Redis away: what is held stays good enough for triage, and is checked again in a second.
    if (held) {
      held.checkedAt = now;
      return held;
    }
    shared?.log.warn({ err: error }, 'could not read the VIP lists version');
    version = null;
  }
  if (held && held === cache) {
    held.checkedAt = now;
    // Another process changed the lists, or the copy is old: it is read again aside while
    // messages go on matching against the copy held (reading every entry from FerretDB takes
    // seconds for tens of thousands).
    if (held.version !== version || now - held.loadedAt >= MAX_AGE_MS) {
      reload(version).catch((error: unknown) => shared?.log.warn({ err: error }, 'could not reload the VIP lists; matching against the ones held'));
    }
    return held;
  }
  return reload(version);
}

/**
 * The brand's lists that name any of a contact's identities, by the platform's id or by handle
 * (without case, with or without "@"). Read from memory: in the steady state it costs no
 * database command, and at most one Redis GET a second.
 */
export async function vipListingOf(identities: ReadonlyArray<{ kind: ConnectorKind; externalId: string; handle?: string | undefined }>): Promise<VipListing> {
  const { byAccount } = await current();
  const lists = new Map<string, ListRef>();
  for (const identity of identities) {
    const keys = [accountKey(identity.kind, externalIdKey(identity.externalId))];
    const handle = identity.handle?.trim().replace(/^@/, '');
    if (handle) keys.push(accountKey(identity.kind, handleKey(handle)));
    for (const key of keys) for (const list of byAccount.get(key) ?? []) lists.set(list.id, list);
  }
  const found = [...lists.values()].sort((a, b) => a.name.localeCompare(b.name));
  return { vip: found.some((list) => list.kind === 'vip'), press: found.some((list) => list.kind === 'press'), lists: found.map((list) => ({ ...list })) };
}
