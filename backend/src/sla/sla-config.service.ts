import { Types } from 'mongoose';
import { DEFAULT_PAUSE_STATUSES, businessHoursInputSchema, slaPolicyInputSchema, type SlaPolicyInput } from '@parley/common';
import type { z } from 'zod';
import { Channel } from '../channels/channel.model';
import { withConflict } from '../db/errors';
import { Conflict, Invalid, NotFound } from '../http/errors';
import { Team } from '../users/team.model';
import { BusinessHours, type BusinessHoursDoc } from './business-hours.model';
import { SlaPolicy, type SlaPolicyDoc } from './sla-policy.model';
import { presentWarningSettings } from './sla.presenter';
import { forgetSlaConfiguration } from './sla.service';

type PolicyFields = z.output<typeof slaPolicyInputSchema>;
type HoursFields = z.output<typeof businessHoursInputSchema>;

const isObjectId = (id: string) => /^[a-f0-9]{24}$/.test(id);

async function findPolicy(id: string): Promise<SlaPolicyDoc> {
  const policy = isObjectId(id) ? await SlaPolicy.findById(id).lean<SlaPolicyDoc>() : null;
  if (!policy) throw new NotFound('SLA policy');
  return policy;
}

async function findHours(id: string): Promise<BusinessHoursDoc> {
  const hours = isObjectId(id) ? await BusinessHours.findById(id).lean<BusinessHoursDoc>() : null;
  if (!hours) throw new NotFound('Business hours');
  return hours;
}

/** After the last policy: the order a new policy takes when it names none. */
export async function nextPolicyOrder(): Promise<number> {
  const last = await SlaPolicy.findOne({ order: { $exists: true } }, { order: 1 }).sort({ order: -1 }).lean<Pick<SlaPolicyDoc, 'order'>>();
  return last?.order === undefined ? 0 : last.order + 1;
}

/** One existence check per id (equality on _id, no $in): a policy names a handful. */
async function checkExisting(field: string, ids: string[], exists: (id: string) => Promise<unknown>, what: string): Promise<Types.ObjectId[]> {
  for (const [index, id] of ids.entries()) {
    if (!(await exists(id))) throw new Invalid(`${field}.${index} is not ${what}`, `${field}.${index}`);
  }
  return ids.map((id) => new Types.ObjectId(id));
}

/** The policy's references must exist: a schedule, channels and teams. */
async function policyDocument(input: PolicyFields & { order: number }) {
  if (input.businessHoursId && !(await BusinessHours.exists({ _id: input.businessHoursId }))) {
    throw new Invalid('businessHoursId is not a business-hours schedule', 'businessHoursId');
  }
  const { reassignTeamId } = input.escalation;
  if (reassignTeamId && !(await Team.exists({ _id: reassignTeamId }))) throw new Invalid('escalation.reassignTeamId is not a team', 'escalation.reassignTeamId');
  return {
    ...input,
    escalation: { ...input.escalation, reassignTeamId: reassignTeamId ? new Types.ObjectId(reassignTeamId) : null },
    businessHoursId: input.businessHoursId ? new Types.ObjectId(input.businessHoursId) : null,
    channelIds: await checkExisting('channelIds', input.channelIds, (id) => Channel.exists({ _id: id }), 'a channel'),
    teamIds: await checkExisting('teamIds', input.teamIds, (id) => Team.exists({ _id: id }), 'a team'),
  };
}

export const listPolicies = () => SlaPolicy.find().sort({ name: 1 }).limit(200).lean<SlaPolicyDoc[]>();

export async function createPolicy(input: PolicyFields): Promise<SlaPolicyDoc> {
  const document = await policyDocument({ ...input, order: input.order ?? (await nextPolicyOrder()) });
  const created = await withConflict(async () => SlaPolicy.create(document), 'An SLA policy with this name exists', 'name');
  forgetSlaConfiguration();
  return created.toObject<SlaPolicyDoc>();
}

/** A change applies to tickets opened from now on; open tickets keep the clocks they started with. */
export async function updatePolicy(id: string, patch: Partial<SlaPolicyInput>): Promise<SlaPolicyDoc> {
  const current = await findPolicy(id);
  const merged = slaPolicyInputSchema.parse({
    name: current.name,
    active: current.active,
    businessHoursId: current.businessHoursId?.toHexString() ?? null,
    channelIds: current.channelIds.map((channelId) => channelId.toHexString()),
    origins: current.origins ?? [],
    teamIds: (current.teamIds ?? []).map((teamId) => teamId.toHexString()),
    influenceTiers: current.influenceTiers ?? [],
    pauseStatuses: current.pauseStatuses ?? [...DEFAULT_PAUSE_STATUSES],
    targets: current.targets,
    countBotReplies: current.countBotReplies ?? false,
    ...presentWarningSettings(current),
    ...patch,
  });
  const document = await policyDocument({ ...merged, order: merged.order ?? current.order ?? (await nextPolicyOrder()) });
  await withConflict(async () => SlaPolicy.updateOne({ _id: current._id }, { $set: document }), 'An SLA policy with this name exists', 'name');
  forgetSlaConfiguration();
  return findPolicy(id);
}

export async function deletePolicy(id: string): Promise<void> {
  const policy = await findPolicy(id);
  await SlaPolicy.deleteOne({ _id: policy._id });
  forgetSlaConfiguration();
}

export const listBusinessHours = () => BusinessHours.find().sort({ name: 1 }).limit(200).lean<BusinessHoursDoc[]>();

export async function createBusinessHours(input: HoursFields): Promise<BusinessHoursDoc> {
  const created = await withConflict(() => BusinessHours.create(input), 'Business hours with this name exist', 'name');
  forgetSlaConfiguration();
  return created.toObject<BusinessHoursDoc>();
}

export async function updateBusinessHours(id: string, input: HoursFields): Promise<BusinessHoursDoc> {
  const current = await findHours(id);
  await withConflict(() => BusinessHours.updateOne({ _id: current._id }, { $set: input }), 'Business hours with this name exist', 'name');
  forgetSlaConfiguration();
  return findHours(id);
}

/** A schedule a policy counts in cannot go: the policy would silently switch to around the clock. */
export async function deleteBusinessHours(id: string): Promise<void> {
  const hours = await findHours(id);
  const user = await SlaPolicy.findOne({ businessHoursId: hours._id }, { name: 1 }).lean();
  if (user) throw new Conflict(`the SLA policy "${user.name}" counts in these business hours`, 'businessHoursId');
  await BusinessHours.deleteOne({ _id: hours._id });
  forgetSlaConfiguration();
}
