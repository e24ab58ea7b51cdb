import type { Priority, TicketUpdate } from '@parley/common';
import type { Actor } from '../tickets/actor';
import type { TicketDoc } from '../tickets/ticket.model';
import { updateTicket, type TicketDeps } from '../tickets/tickets.service';
import type { OnlineAgents } from '../realtime/online';
import { User } from '../users/user.model';
import type { SlaEscalationDoc, SlaPolicyDoc } from './sla-policy.model';

export interface EscalationDeps extends TicketDeps {
  online: Pick<OnlineAgents, 'isOnline'>;
}

const raised: Record<Priority, Priority> = { low: 'normal', normal: 'high', high: 'urgent', urgent: 'urgent' };

/** Whether the ticket's assignee cannot act on it now: signed out everywhere, or deactivated. */
async function assigneeAbsent(ticket: TicketDoc, online: EscalationDeps['online']): Promise<boolean> {
  if (!ticket.assigneeId) return false;
  if (!(await User.exists({ _id: ticket.assigneeId, active: true }))) return true;
  return !(await online.isOnline(ticket.assigneeId.toHexString()));
}

/**
 * What a policy does when one of its clocks breaches, beyond telling people: raise the
 * priority one step, move the ticket to another team (unassigned), or take it from an absent
 * agent. Each is a ticket change of its own made by the policy, so the audit trail says so and
 * the priority becomes the policy's. Called once per breach (the notice record guards it); an
 * action that fails is logged and the others still run.
 */
export async function escalateBreach(ticket: TicketDoc, policy: SlaPolicyDoc, escalation: SlaEscalationDoc, deps: EscalationDeps): Promise<TicketDoc> {
  const actor: Actor = { kind: 'policy', id: policy._id, name: policy.name };
  let current = ticket;
  const apply = async (action: string, patch: TicketUpdate) => {
    try {
      current = await updateTicket(actor, current, patch, deps);
    } catch (error) {
      deps.log.warn({ err: error, ticketId: ticket._id, policyId: policy._id, action }, 'could not escalate an SLA breach');
    }
  };
  if (escalation.raisePriority && current.priority !== 'urgent') await apply('raisePriority', { priority: raised[current.priority] });
  const { reassignTeamId } = escalation;
  if (reassignTeamId && (!current.teamId?.equals(reassignTeamId) || current.assigneeId)) {
    await apply('reassignTeam', { teamId: reassignTeamId.toHexString(), assigneeId: null });
  } else if (escalation.unassignAbsent && (await assigneeAbsent(current, deps.online))) {
    await apply('unassignAbsent', { assigneeId: null });
  }
  return current;
}
