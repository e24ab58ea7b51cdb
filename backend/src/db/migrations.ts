import type { Logger } from '../logger';
import { BusinessHours } from '../sla/business-hours.model';
import { SlaPolicy } from '../sla/sla-policy.model';
import { NO_SLA_DUE, Ticket, assigneeFields } from '../tickets/ticket.model';

/**
 * Data changes that older stored documents need, run at every start-up. Each one is
 * idempotent and cheap once done (its query finds nothing left to change).
 */
const migrations: Array<{ name: string; run: () => Promise<number> }> = [
  {
    // Tickets stored before assigneeKey existed (it mirrors assigneeId for pushed-down filters).
    name: 'tickets.assigneeKey',
    async run() {
      let changed = 0;
      for await (const ticket of Ticket.find({ assigneeKey: { $exists: false } }, { _id: 1, assigneeId: 1 }).lean().cursor()) {
        await Ticket.updateOne({ _id: ticket._id }, { $set: assigneeFields(ticket.assigneeId ?? null) }, { timestamps: false });
        changed += 1;
      }
      return changed;
    },
  },
  {
    // Tickets stored before SLA clocks: none runs, so they sort last by due time.
    name: 'tickets.slaDueRank',
    async run() {
      const result = await Ticket.updateMany({ slaDueRank: { $exists: false } }, { $set: { slaDueRank: NO_SLA_DUE } }, { timestamps: false });
      return result.modifiedCount;
    },
  },
  {
    // The first demo seeds upserted these, and FerretDB v1 drops nulls and empty arrays from $setOnInsert.
    name: 'sla.defaults',
    async run() {
      const missing = [
        await SlaPolicy.updateMany({ channelIds: { $exists: false } }, { $set: { channelIds: [] } }, { timestamps: false }),
        await SlaPolicy.updateMany({ businessHoursId: { $exists: false } }, { $set: { businessHoursId: null } }, { timestamps: false }),
        await BusinessHours.updateMany({ holidays: { $exists: false } }, { $set: { holidays: [] } }, { timestamps: false }),
      ];
      return missing.reduce((sum, result) => sum + result.modifiedCount, 0);
    },
  },
  {
    // Policies stored before orders: in the order the old matching tried them — those naming
    // channels before those naming none, the older first in each — so every ticket keeps its
    // policy. After any policy already ordered.
    name: 'sla.order',
    async run() {
      const unordered = await SlaPolicy.find({ order: { $exists: false } }, { _id: 1, channelIds: 1, createdAt: 1 }).lean();
      if (unordered.length === 0) return 0;
      const last = await SlaPolicy.findOne({ order: { $exists: true } }, { order: 1 }).sort({ order: -1 }).lean();
      const names = (policy: (typeof unordered)[number]) => ((policy.channelIds ?? []).length > 0 ? 0 : 1);
      // Stored by hand, a policy may even lack createdAt: it counts as the oldest.
      const age = (policy: (typeof unordered)[number]) => (policy.createdAt as Date | undefined)?.getTime() ?? 0;
      unordered.sort((a, b) => names(a) - names(b) || age(a) - age(b));
      const first = last?.order === undefined ? 0 : last.order + 1;
      for (const [index, policy] of unordered.entries()) {
        await SlaPolicy.updateOne({ _id: policy._id, order: { $exists: false } }, { $set: { order: first + index } }, { timestamps: false });
      }
      return unordered.length;
    },
  },
];

export async function runMigrations(log: Logger): Promise<void> {
  for (const migration of migrations) {
    const changed = await migration.run();
    if (changed > 0) log.info({ migration: migration.name, changed }, 'migrated stored documents');
  }
}
