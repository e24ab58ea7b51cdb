import { Types } from 'mongoose';
import type { TeamUpdate } from '@parley/common';
import { Invalid, NotFound } from '../http/errors';
import type { Logger } from '../logger';
import { Team, type TeamDoc } from './team.model';
import { User, type UserDoc } from './user.model';

export interface TeamWithMembers {
  team: TeamDoc;
  members: UserDoc[];
}

/** Every team by name, each with its active members (few people: one read of the users). */
export async function listTeams(): Promise<TeamWithMembers[]> {
  const [teams, users] = await Promise.all([Team.find().sort({ name: 1 }).lean<TeamDoc[]>(), User.find({ active: true }).sort({ name: 1 }).lean<UserDoc[]>()]);
  return teams.map((team) => ({ team, members: users.filter((user) => user.teamIds.some((id) => id.equals(team._id))) }));
}

async function teamWithMembers(team: TeamDoc): Promise<TeamWithMembers> {
  const users = await User.find({ active: true }).sort({ name: 1 }).lean<UserDoc[]>();
  return { team, members: users.filter((user) => user.teamIds.some((id) => id.equals(team._id))) };
}

/**
 * Changes whose public replies need a supervisor's approval. Listed agents must be active
 * agents of the team (supervisors and admins never need approval): anyone else is refused,
 * naming the entry.
 */
export async function updateTeam(id: string, patch: TeamUpdate, log: Logger): Promise<TeamWithMembers> {
  const team = /^[a-f0-9]{24}$/.test(id) ? await Team.findById(id).lean<TeamDoc>() : null;
  if (!team) throw new NotFound('Team');
  const agentIds = [...new Set(patch.publicReplyApproval.agentIds)];
  for (const [index, agentId] of agentIds.entries()) {
    const user = await User.findById(agentId).lean<UserDoc>();
    if (!user || !user.active || user.role !== 'agent' || !user.teamIds.some((teamId) => teamId.equals(team._id))) {
      throw new Invalid(`publicReplyApproval.agentIds.${index} is not an active agent of this team`, `publicReplyApproval.agentIds.${index}`);
    }
  }
  const publicReplyApproval = { required: patch.publicReplyApproval.required, agentIds: agentIds.map((agentId) => new Types.ObjectId(agentId)) };
  await Team.updateOne({ _id: team._id }, { $set: { publicReplyApproval } });
  log.info({ teamId: id, required: publicReplyApproval.required, agents: agentIds.length }, 'public reply approval changed');
  const updated = await Team.findById(team._id).lean<TeamDoc>();
  if (!updated) throw new NotFound('Team');
  return teamWithMembers(updated);
}

/** Whether this team asks for approval of this person's public replies. */
export function teamRequiresApprovalOf(team: Pick<TeamDoc, 'publicReplyApproval'>, author: Pick<UserDoc, '_id' | 'role'>): boolean {
  const rule = team.publicReplyApproval;
  if (author.role !== 'agent' || !rule?.required) return false;
  return rule.agentIds.length === 0 || rule.agentIds.some((agentId) => agentId.equals(author._id));
}

/**
 * Whether a public reply by this person waits for a supervisor: an agent of a team that asks
 * for it (for all its agents, or for them by name). Supervisors and admins never wait.
 */
export async function publicReplyNeedsApproval(author: Pick<UserDoc, '_id' | 'role' | 'teamIds'>): Promise<boolean> {
  if (author.role !== 'agent' || author.teamIds.length === 0) return false;
  // One _id equality per team (an agent is in few): FerretDB pushes those down, not an $in.
  const teams = await Promise.all(author.teamIds.map((teamId) => Team.findById(teamId, { publicReplyApproval: 1 }).lean<Pick<TeamDoc, 'publicReplyApproval'>>()));
  return teams.some((team) => team !== null && teamRequiresApprovalOf(team, author));
}
