import type { Types } from 'mongoose';
import type { BusinessHoursSpec } from '@parley/common';
import type { Locks } from '../lib/locks';
import { slaOf } from '../sla/sla.codec';
import { businessHoursById } from '../sla/sla.service';
import { Ticket, type TicketDoc } from '../tickets/ticket.model';
import { addCounts, contributionsOf, factParts, rollupKeyParts, sameCounts, type ContributingTicket } from './rollup.facts';
import { Rollup, RollupFact, type RollupCounts, type RollupDoc, type RollupFactDoc } from './rollup.model';

const ticketRollupLock = (ticketId: string) => `rollups:ticket:${ticketId}`;
const rollupLock = (key: string) => `rollups:key:${key}`;

/** The fields a contribution reads: a rebuild reads only these. */
export const contributingFields = {
  createdAt: 1,
  status: 1,
  solvedAt: 1,
  priority: 1,
  teamId: 1,
  assigneeId: 1,
  channelId: 1,
  slaClocks: 1,
  firstResponseAt: 1,
  firstHumanResponseAt: 1,
  handoff: 1,
} as const;

async function hoursOf(ticket: Pick<TicketDoc, 'slaClocks'>): Promise<BusinessHoursSpec | null> {
  const id = slaOf(ticket)?.businessHoursId ?? null;
  return id ? businessHoursById(id) : null;
}

function rollupDoc(key: string, counts: RollupCounts): RollupDoc {
  const parts = rollupKeyParts(key);
  return { _id: key, ...parts, day: parts.hour.toISOString().slice(0, 10), counts };
}

/** Sets a rollup to the sum of its facts (gone when none): under its lock, so two tickets' recomputes cannot lose one. */
async function recomputeRollup(key: string, locks: Locks): Promise<void> {
  await locks.withLock(rollupLock(key), async () => {
    const facts = await RollupFact.find({ rollupKey: key }, { counts: 1 }).lean<Pick<RollupFactDoc, 'counts'>[]>();
    if (facts.length === 0) {
      await Rollup.deleteOne({ _id: key });
      return;
    }
    const counts = facts.reduce<RollupCounts>((sum, fact) => addCounts(sum, fact.counts), {});
    await Rollup.replaceOne({ _id: key }, rollupDoc(key, counts), { upsert: true });
  });
}

/**
 * Brings the rollups up to date with the ticket as it is now (not as an event described it):
 * a replayed, late or duplicated event finds nothing changed and writes nothing. Answers how
 * many rollups it recomputed.
 */
export async function updateTicketRollups(ticketId: Types.ObjectId, locks: Locks): Promise<number> {
  const id = ticketId.toHexString();
  return locks.withLock(ticketRollupLock(id), async () => {
    const [ticket, facts] = await Promise.all([
      Ticket.findById(ticketId, contributingFields).lean<ContributingTicket>(),
      RollupFact.find({ ticketId: id }).lean<RollupFactDoc[]>(),
    ]);
    const wanted = ticket ? contributionsOf(ticket, await hoursOf(ticket)) : [];
    const dirty = new Set<string>();
    const changed: RollupFactDoc[] = [];
    for (const part of factParts) {
      const factId = `${id}:${part}`;
      const fact = facts.find((candidate) => candidate._id === factId);
      const contribution = wanted.find((candidate) => candidate.part === part);
      const rollupKey = contribution?.rollupKey ?? null;
      const counts = contribution?.counts ?? {};
      const unchanged = (fact?.rollupKey ?? null) === rollupKey && sameCounts(fact?.counts ?? {}, counts) && (fact?.dirtyKeys.length ?? 0) === 0;
      if (unchanged) continue;
      // The keys to recompute are written with the fact first: a crash before they are done leaves them for the next run.
      const dirtyKeys = [...new Set([...(fact?.dirtyKeys ?? []), fact?.rollupKey, rollupKey].filter((key): key is string => typeof key === 'string'))];
      const next: RollupFactDoc = { _id: factId, ticketId: id, rollupKey, counts, dirtyKeys };
      await RollupFact.replaceOne({ _id: factId }, next, { upsert: true });
      dirtyKeys.forEach((key) => dirty.add(key));
      changed.push(next);
    }
    for (const key of dirty) await recomputeRollup(key, locks);
    for (const fact of changed) {
      if (fact.rollupKey === null) await RollupFact.deleteOne({ _id: fact._id });
      else await RollupFact.updateOne({ _id: fact._id }, { $set: { dirtyKeys: [] } });
    }
    return dirty.size;
  });
}

const BATCH = 1_000;

/**
 * Recomputes every rollup from the tickets (`npm run rollups:rebuild`): the facts and rollups
 * are replaced. Run it with the workers stopped, or let their next events on a ticket correct
 * what changed meanwhile. Answers the number of tickets and rollups.
 */
export async function rebuildRollups(onProgress: (tickets: number) => void = () => undefined): Promise<{ tickets: number; rollups: number }> {
  await Promise.all([RollupFact.deleteMany({}), Rollup.deleteMany({})]);
  const sums = new Map<string, RollupCounts>();
  let tickets = 0;
  let facts: RollupFactDoc[] = [];
  const flush = async () => {
    if (facts.length > 0) await RollupFact.insertMany(facts, { ordered: false, lean: true });
    facts = [];
  };
  for await (const ticket of Ticket.find({}, contributingFields).lean<ContributingTicket>().cursor({ batchSize: BATCH })) {
    tickets += 1;
    const id = ticket._id.toHexString();
    for (const contribution of contributionsOf(ticket, await hoursOf(ticket))) {
      facts.push({ _id: `${id}:${contribution.part}`, ticketId: id, rollupKey: contribution.rollupKey, counts: contribution.counts, dirtyKeys: [] });
      sums.set(contribution.rollupKey, addCounts(sums.get(contribution.rollupKey) ?? {}, contribution.counts));
    }
    if (facts.length >= BATCH) await flush();
    if (tickets % 10_000 === 0) onProgress(tickets);
  }
  await flush();
  const rollups = [...sums].map(([key, counts]) => rollupDoc(key, counts));
  for (let offset = 0; offset < rollups.length; offset += BATCH) await Rollup.insertMany(rollups.slice(offset, offset + BATCH), { ordered: false, lean: true });
  return { tickets, rollups: rollups.length };
}
