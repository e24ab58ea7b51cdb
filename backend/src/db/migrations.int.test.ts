import { Types } from 'mongoose';
import { makeTicket } from '../test/factories';
import { testLog, useParley } from '../test/harness';
import { BusinessHours } from '../sla/business-hours.model';
import { SlaPolicy } from '../sla/sla-policy.model';
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

it('fills in what SLA policies and schedules stored without their empty lists and nulls lack', async () => {
  const targets = { firstResponseMinutes: 60, nextResponseMinutes: null, resolutionMinutes: null };
  const { insertedId } = await SlaPolicy.collection.insertOne({ name: 'Old', active: true, targets: { low: targets, normal: targets, high: targets, urgent: targets } });
  const hours = await BusinessHours.collection.insertOne({ name: 'Old hours', timezone: 'UTC', intervals: [{ day: 1, start: '09:00', end: '17:00' }] });

  await runMigrations(testLog());

  expect(await SlaPolicy.findById(insertedId).lean()).toMatchObject({ channelIds: [], businessHoursId: null });
  expect((await BusinessHours.findById(hours.insertedId).lean())?.holidays).toEqual([]);
});

it('orders SLA policies stored before orders as they were tried: those naming channels first, the older first', async () => {
  const targets = { firstResponseMinutes: 60, nextResponseMinutes: null, resolutionMinutes: null };
  const stored = (name: string, createdAt: string, channelIds: Types.ObjectId[]) =>
    SlaPolicy.collection.insertOne({ name, active: true, channelIds, businessHoursId: null, targets: { low: targets, normal: targets, high: targets, urgent: targets }, createdAt: new Date(createdAt), updatedAt: new Date(createdAt) });
  const fallback = await stored('Everything', '2025-01-01T00:00:00Z', []);
  const later = await stored('Channel, later', '2025-03-01T00:00:00Z', [new Types.ObjectId()]);
  const earlier = await stored('Channel, earlier', '2025-02-01T00:00:00Z', [new Types.ObjectId()]);
  const before = await SlaPolicy.findOne({ order: { $exists: true } }, { order: 1 }).sort({ order: -1 }).lean();

  await runMigrations(testLog());
  await runMigrations(testLog());

  const orderOf = async (id: Types.ObjectId) => (await SlaPolicy.findById(id).lean())?.order;
  const first = (before?.order ?? -1) + 1;
  expect([await orderOf(earlier.insertedId), await orderOf(later.insertedId), await orderOf(fallback.insertedId)]).toEqual([first, first + 1, first + 2]);
});
