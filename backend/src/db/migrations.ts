import type { Logger } from '../logger';
import { Ticket, assigneeFields } from '../tickets/ticket.model';

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
];

export async function runMigrations(log: Logger): Promise<void> {
  for (const migration of migrations) {
    const changed = await migration.run();
    if (changed > 0) log.info({ migration: migration.name, changed }, 'migrated stored documents');
  }
}
