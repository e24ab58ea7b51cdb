import { Types } from 'mongoose';
import type Redis from 'ioredis';
import { ruleInputSchema, ruleUpdateSchema, type RuleCondition, type RuleOptions } from '@parley/common';
import type { z } from 'zod';
import { Channel } from '../channels/channel.model';
import { withConflict } from '../db/errors';
import { Invalid, NotFound } from '../http/errors';
import type { Locks } from '../lib/locks';
import { BusinessHours } from '../sla/business-hours.model';
import { Team } from '../users/team.model';
import { User, type UserDoc } from '../users/user.model';
import { Rule, type RuleDoc } from './rule.model';

export interface RulesDeps {
  locks: Locks;
  redis: Redis;
  /** Redis key prefix (QUEUE_PREFIX). */
  prefix: string;
}

type RuleFields = z.output<typeof ruleInputSchema>;
type RulePatch = z.output<typeof ruleUpdateSchema>;

const ORDER_LOCK = 'rules:order';

/** The Redis key every change of a rule bumps: workers compare it to drop their cached rules at once. */
export const rulesVersionKey = (prefix: string) => `${prefix}:rules:version`;

const isObjectId = (id: string) => /^[a-f0-9]{24}$/.test(id);

async function findRule(id: string): Promise<RuleDoc> {
  const rule = isObjectId(id) ? await Rule.findById(id).lean<RuleDoc>() : null;
  if (!rule) throw new NotFound('Rule');
  return rule;
}

/** A condition's references (channels, a schedule) exist; the 400 names the one that does not. */
async function checkCondition(condition: RuleCondition, path: string): Promise<void> {
  if (condition.field === 'channel') {
    for (const [index, channelId] of condition.channelIds.entries()) {
      if (!(await Channel.exists({ _id: channelId }))) throw new Invalid(`${path}.channelIds.${index} is not a channel`, `${path}.channelIds.${index}`);
    }
  }
  if (condition.field === 'businessHours' && condition.businessHoursId && !(await BusinessHours.exists({ _id: condition.businessHoursId }))) {
    throw new Invalid(`${path}.businessHoursId is not a business-hours schedule`, `${path}.businessHoursId`);
  }
}

/** Everything a rule names must exist when it is saved, so that it can run: teams, agents, channels, schedules. */
async function checkReferences(rule: Pick<RuleFields, 'conditions' | 'actions'>): Promise<void> {
  for (const group of ['all', 'any'] as const) {
    for (const [index, condition] of rule.conditions[group].entries()) await checkCondition(condition, `conditions.${group}.${index}`);
  }
  for (const [index, action] of rule.actions.entries()) {
    if (action.type === 'assign_team' && !(await Team.exists({ _id: action.teamId }))) {
      throw new Invalid(`actions.${index}.teamId is not a team`, `actions.${index}.teamId`);
    }
    if (action.type === 'assign_agent' && !(await User.exists({ _id: action.agentId, active: true }))) {
      throw new Invalid(`actions.${index}.agentId is not an active user`, `actions.${index}.agentId`);
    }
  }
}

async function changed(deps: RulesDeps): Promise<void> {
  await deps.redis.incr(rulesVersionKey(deps.prefix));
}

/**
 * Gives the rules the places 1…n in the order of `ids`. Orders are unique, so the rules that
 * move first step aside to places no rule takes (negative), then take their new ones.
 */
async function renumber(current: Pick<RuleDoc, '_id' | 'order'>[], ids: Types.ObjectId[]): Promise<void> {
  const orderOf = new Map(current.map((rule) => [rule._id.toHexString(), rule.order]));
  const moving = ids.map((id, index) => ({ id, order: index + 1 })).filter(({ id, order }) => orderOf.get(id.toHexString()) !== order);
  for (const [index, { id }] of moving.entries()) await Rule.updateOne({ _id: id }, { $set: { order: -(index + 1) } }, { timestamps: false });
  for (const { id, order } of moving) await Rule.updateOne({ _id: id }, { $set: { order } }, { timestamps: false });
}

const inOrder = () => Rule.find({}, { _id: 1, order: 1 }).sort({ order: 1 }).lean<Pick<RuleDoc, '_id' | 'order'>[]>();

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), max);

export function listRules(): Promise<RuleDoc[]> {
  return Rule.find().sort({ order: 1 }).limit(1_000).lean<RuleDoc[]>();
}

export const getRule = findRule;

export async function createRule(input: RuleFields, by: UserDoc, deps: RulesDeps): Promise<RuleDoc> {
  await checkReferences(input);
  const created = await deps.locks.withLock(ORDER_LOCK, async () => {
    const current = await inOrder();
    const free = Math.max(current.at(-1)?.order ?? 0, 0) + 1;
    const _id = new Types.ObjectId();
    // In the free place after the last rule, then moved to its place (the rules from there move down one).
    await withConflict(() => Rule.create({ ...input, _id, order: free, createdBy: by._id, updatedBy: by._id }), 'A rule with this name exists', 'name');
    const ids = current.map((rule) => rule._id);
    ids.splice(clamp(input.order ?? ids.length + 1, 1, ids.length + 1) - 1, 0, _id);
    await renumber([...current, { _id, order: free }], ids);
    return Rule.findById(_id).lean<RuleDoc>();
  });
  await changed(deps);
  if (!created) throw new NotFound('Rule');
  return created;
}

export async function updateRule(id: string, patch: RulePatch, by: UserDoc, deps: RulesDeps): Promise<RuleDoc> {
  const existing = await findRule(id);
  const { order, ...fields } = patch;
  if (fields.conditions || fields.actions) await checkReferences({ conditions: fields.conditions ?? existing.conditions, actions: fields.actions ?? existing.actions });
  const updated = await deps.locks.withLock(ORDER_LOCK, async () => {
    // FerretDB reports a duplicate caused by an update as code 1; withConflict maps both.
    await withConflict(() => Rule.updateOne({ _id: existing._id }, { $set: { ...fields, updatedBy: by._id } }), 'A rule with this name exists', 'name');
    if (order !== undefined) {
      const current = await inOrder();
      const ids = current.map((rule) => rule._id).filter((ruleId) => !ruleId.equals(existing._id));
      ids.splice(clamp(order, 1, current.length) - 1, 0, existing._id);
      await renumber(current, ids);
    }
    return Rule.findById(existing._id).lean<RuleDoc>();
  });
  await changed(deps);
  if (!updated) throw new NotFound('Rule');
  return updated;
}

export async function deleteRule(id: string, deps: RulesDeps): Promise<void> {
  const existing = await findRule(id);
  await deps.locks.withLock(ORDER_LOCK, async () => {
    await Rule.deleteOne({ _id: existing._id });
    // The rules after it close up.
    const current = await inOrder();
    await renumber(current, current.map((rule) => rule._id));
  });
  await changed(deps);
}

/** The teams and people a rule can assign tickets to, by name. */
export async function ruleOptions(): Promise<RuleOptions> {
  const [teams, users] = await Promise.all([
    Team.find({}, { name: 1 }).sort({ name: 1 }).limit(1_000).lean(),
    User.find({ active: true }, { name: 1, teamIds: 1 }).sort({ name: 1 }).limit(2_000).lean<Pick<UserDoc, '_id' | 'name' | 'teamIds'>[]>(),
  ]);
  return {
    teams: teams.map((team) => ({ id: team._id.toHexString(), name: team.name })),
    agents: users.map((user) => ({ id: user._id.toHexString(), name: user.name, teamIds: user.teamIds.map((teamId) => teamId.toHexString()) })),
  };
}
