import type { Types } from 'mongoose';
import { activeTicketStatuses } from '@parley/common';
import type { DomainEventBus } from '../events/domain-events';
import type { Locks } from '../lib/locks';
import type { Logger } from '../logger';
import type { OnlineAgents } from '../realtime/online';
import { Team } from '../users/team.model';
import { User, type UserDoc } from '../users/user.model';
import { auditActorOf } from './actor';
import { AuditEvent } from './audit-event.model';
import { Ticket, assigneeFields, ticketLock } from './ticket.model';

export interface AssignmentDeps {
  events: DomainEventBus;
  locks: Locks;
  online: OnlineAgents;
}

/** The team's agents who are online and under capacity, longest without a new ticket first. */
export async function eligibleAgents(teamId: Types.ObjectId, online: OnlineAgents): Promise<UserDoc[]> {
  const members = await User.find({ teamIds: teamId, role: 'agent', active: true }).lean<UserDoc[]>();
  const eligible: UserDoc[] = [];
  for (const agent of members) {
    if (!(await online.isOnline(agent._id.toHexString()))) continue;
    const open = await Ticket.countDocuments({ assigneeKey: agent._id.toHexString(), status: { $in: [...activeTicketStatuses] } });
    if (open < agent.capacity) eligible.push(agent);
  }
  return eligible.sort((a, b) => (a.lastAssignedAt?.getTime() ?? 0) - (b.lastAssignedAt?.getTime() ?? 0));
}

/**
 * Gives an unassigned ticket of an auto-assigning team to the next agent in turn.
 * Answers the agent, or undefined when nobody is free (the ticket waits in the queue).
 */
export async function autoAssign(ticketId: Types.ObjectId, deps: AssignmentDeps): Promise<UserDoc | undefined> {
  const ticket = await Ticket.findById(ticketId).lean();
  if (!ticket?.teamId || ticket.assigneeId) return undefined;
  const team = await Team.findById(ticket.teamId).lean();
  if (!team?.autoAssign) return undefined;
  const teamId = ticket.teamId;

  // One decision at a time per team, so two new tickets do not both go to the same agent.
  return deps.locks.withLock(`assign:team:${teamId.toHexString()}`, async () => {
    const [agent] = await eligibleAgents(teamId, deps.online);
    if (!agent) return undefined;
    const assigned = await deps.locks.withLock(ticketLock(ticketId), async () => {
      const current = await Ticket.findById(ticketId).lean();
      if (!current || current.assigneeId) return false;
      await Ticket.updateOne({ _id: ticketId }, { $set: assigneeFields(agent._id) });
      return true;
    });
    if (!assigned) return undefined;
    await User.updateOne({ _id: agent._id }, { $set: { lastAssignedAt: new Date() } });
    await AuditEvent.create({ ticketId, ...auditActorOf({ kind: 'system', name: 'Auto-assignment' }), action: 'ticket.auto_assigned', before: { assigneeId: null }, after: { assigneeId: agent._id.toHexString() }, at: new Date() });
    deps.events.emit('ticket.updated', { ticketId });
    return agent;
  });
}

export function startAutoAssignment(deps: AssignmentDeps, log: Logger): () => void {
  return deps.events.on('ticket.created', ({ ticketId }) => {
    autoAssign(ticketId, deps).catch((error: unknown) => log.warn({ err: error, ticketId: ticketId.toHexString() }, 'round-robin assignment failed'));
  });
}
