import { Types } from 'mongoose';
import { makeTicket } from '../test/factories';
import { testLog, useParley } from '../test/harness';
import { Ticket } from '../tickets/ticket.model';
import { runMigrations } from './migrations';

useParley(['api']);

it('gives tickets stored before assigneeKey existed the key their assignee implies, once', async () => {
  const agentId = new Types.ObjectId();
  const assigned = await makeTicket({ assigneeId: agentId });
  const unassigned = await makeTicket();
  // As an older version stored them: no assigneeKey at all.
  await Ticket.collection.updateMany({ _id: { $in: [assigned._id, unassigned._id] } }, { $unset: { assigneeKey: '' } });
  expect(await Ticket.countDocuments({ assigneeKey: agentId.toHexString() })).toBe(0);

  await runMigrations(testLog());
  await runMigrations(testLog());

  expect(await Ticket.find({ assigneeKey: agentId.toHexString() }, { _id: 1 }).lean()).toEqual([{ _id: assigned._id }]);
  expect((await Ticket.findById(unassigned._id).lean())?.assigneeKey).toBe('none');
});
