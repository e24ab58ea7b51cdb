import type { Types } from 'mongoose';
import type { RuleAction, RuleActionEffect } from '@parley/common';
import type { ContactDoc } from '../contacts/contact.model';
import { AppError, GuardrailBlocked } from '../http/errors';
import { checkReplyLength } from '../outbound/reply-check';
import type { OnlineAgents } from '../realtime/online';
import type { Actor } from '../tickets/actor';
import { autoAssign } from '../tickets/assignment.service';
import type { MessageDoc } from '../tickets/message.model';
import type { TicketDoc } from '../tickets/ticket.model';
import { postMessageAs, updateTicket, type TicketDeps } from '../tickets/tickets.service';
import { Team, type TeamDoc } from '../users/team.model';
import { User, type UserDoc } from '../users/user.model';
import type { RuleActionOutcome } from './rule.model';
import { startMoveToPrivate } from './move-to-private.service';

export interface RuleActionDeps extends TicketDeps {
  online: OnlineAgents;
}

/** What an action works on: the ticket as it is now, the customer message that triggered the rule, its author. */
export interface ActionContext {
  actor: Actor;
  ticket: TicketDoc;
  message: MessageDoc;
  contact: ContactDoc | null;
}

/** {{first_name}}: the first word of the customer's name, as the composer fills it. */
export function fillRuleText(text: string, contact: ContactDoc | null): string {
  const name = contact?.name.trim() ?? '';
  const firstName = name.split(/\s+/)[0] ?? name;
  return text.replace(/\{\{\s*first_name\s*\}\}/g, firstName);
}

/** What an action would do to the ticket as it is: the same answer for a dry run and for the real run. */
type Plan =
  | { effect: 'unchanged'; detail: string }
  | { effect: 'fail'; detail: string }
  | { effect: 'change'; detail: string; text?: string; team?: TeamDoc; agent?: UserDoc };

const publicAnswerTo = (message: MessageDoc): string | null =>
  message.visibility === 'public' ? null : 'the customer wrote privately: a public reply would answer nothing they wrote in public';

async function plan(action: RuleAction, { ticket, message, contact }: ActionContext): Promise<Plan> {
  switch (action.type) {
    case 'assign_team': {
      const team = await Team.findById(action.teamId).lean<TeamDoc>();
      if (!team) return { effect: 'fail', detail: 'the team no longer exists' };
      if (ticket.teamId?.equals(team._id)) return { effect: 'unchanged', detail: `already with ${team.name}` };
      return { effect: 'change', detail: `to the team ${team.name}`, team };
    }
    case 'assign_agent': {
      const agent = await User.findOne({ _id: action.agentId, active: true }).lean<UserDoc>();
      if (!agent) return { effect: 'fail', detail: 'the agent is no longer an active user' };
      if (ticket.assigneeId?.equals(agent._id)) return { effect: 'unchanged', detail: `already assigned to ${agent.name}` };
      return { effect: 'change', detail: `assigned to ${agent.name}`, agent };
    }
    case 'set_priority':
      if (ticket.priority === action.priority) return { effect: 'unchanged', detail: `already ${action.priority}` };
      return { effect: 'change', detail: `priority ${ticket.priority} → ${action.priority}` };
    case 'add_tag':
      if (ticket.tags.includes(action.tag)) return { effect: 'unchanged', detail: `already tagged ${action.tag}` };
      return { effect: 'change', detail: `tagged ${action.tag}` };
    case 'public_reply': {
      const refused = publicAnswerTo(message);
      if (refused) return { effect: 'fail', detail: refused };
      const text = fillRuleText(action.text, contact);
      try {
        await checkReplyLength(ticket, { text, visibility: 'public' });
      } catch (error) {
        if (error instanceof AppError) return { effect: 'fail', detail: error.message };
        throw error;
      }
      return { effect: 'change', detail: 'a public reply to the customer', text };
    }
    case 'move_to_private': {
      const refused = publicAnswerTo(message);
      if (refused) return { effect: 'fail', detail: refused };
      return { effect: 'change', detail: 'a public reply, then a private message', text: fillRuleText(action.publicText, contact) };
    }
  }
}

/** What the action would do, without doing it (dry run). */
export async function previewAction(action: RuleAction, context: ActionContext): Promise<RuleActionEffect> {
  const planned = await plan(action, context);
  return { type: action.type, effect: planned.effect, detail: planned.detail, ...(planned.effect === 'change' && planned.text !== undefined ? { text: planned.text } : {}) };
}

/** Why a refusal of ours stopped the action, in the words the agent would have read; anything else is thrown (the job retries). */
export function refusalOf(error: unknown): Pick<RuleActionOutcome, 'detail' | 'findings'> | undefined {
  if (error instanceof GuardrailBlocked) return { detail: `held back by the guardrails: ${error.message}`, findings: error.findings };
  if (error instanceof AppError && error.status < 500) return { detail: error.message };
  return undefined;
}

/**
 * Does one action as the rule (the ticket's audit trail names it), and says what came of it.
 * A reply takes the id the run chose for it, so a run resumed after a crash never posts it twice.
 */
export async function runAction(action: RuleAction, context: ActionContext, replyId: Types.ObjectId | null, deps: RuleActionDeps): Promise<RuleActionOutcome> {
  const planned = await plan(action, context);
  const outcome = (fields: Omit<RuleActionOutcome, 'type'>): RuleActionOutcome => ({ type: action.type, ...fields });
  if (planned.effect !== 'change') return outcome(planned);
  const { actor, ticket, message } = context;
  try {
    switch (action.type) {
      case 'assign_team': {
        const team = planned.team;
        if (!team) return outcome({ effect: 'fail', detail: 'the team no longer exists' });
        // The assignee stays if they belong to the new team; otherwise the ticket waits in its queue.
        const assignee = ticket.assigneeId ? await User.findById(ticket.assigneeId, { teamIds: 1 }).lean() : null;
        const keepsAssignee = assignee?.teamIds.some((teamId) => teamId.equals(team._id)) ?? false;
        const updated = await updateTicket(actor, ticket, { teamId: team._id.toHexString(), ...(ticket.assigneeId && !keepsAssignee ? { assigneeId: null } : {}) }, deps);
        if (!updated.assigneeId && team.autoAssign) await autoAssign(updated._id, { events: deps.events, locks: deps.locks, online: deps.online });
        return outcome({ effect: 'change', detail: planned.detail });
      }
      case 'assign_agent':
        await updateTicket(actor, ticket, { assigneeId: action.agentId }, deps);
        return outcome({ effect: 'change', detail: planned.detail });
      case 'set_priority':
        await updateTicket(actor, ticket, { priority: action.priority }, deps);
        return outcome({ effect: 'change', detail: planned.detail });
      case 'add_tag':
        await updateTicket(actor, ticket, { tags: [...ticket.tags, action.tag] }, deps);
        return outcome({ effect: 'change', detail: planned.detail });
      case 'public_reply': {
        const text = planned.text ?? action.text;
        const reply = await postMessageAs(actor, ticket, { text, visibility: 'public', replyToMessageId: message._id.toHexString() }, deps, replyId ? { messageId: replyId } : {});
        return outcome({ effect: 'change', detail: planned.detail, messageId: reply._id.toHexString() });
      }
      case 'move_to_private': {
        const contact = context.contact;
        await startMoveToPrivate(actor, ticket, { publicText: fillRuleText(action.publicText, contact), privateText: fillRuleText(action.privateText, contact), replyToMessageId: message._id.toHexString() }, deps);
        return outcome({ effect: 'change', detail: planned.detail });
      }
    }
  } catch (error) {
    const refused = refusalOf(error);
    if (!refused) throw error;
    return outcome({ effect: 'fail', ...refused });
  }
}
