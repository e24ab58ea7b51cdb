import { RULE_DRY_RUN_TICKETS, type RuleDryRun, type RuleTrigger } from '@parley/common';
import { Contact, type ContactDoc } from '../contacts/contact.model';
import { Invalid } from '../http/errors';
import type { Logger } from '../logger';
import { Message, type MessageDoc } from '../tickets/message.model';
import { Ticket, type TicketDoc } from '../tickets/ticket.model';
import type { RuleDoc } from './rule.model';
import { previewAction } from './rules.actions';
import { compileRule, type CompiledRule } from './rules.cache';
import { conditionsHold, ruleSubject, type ScheduleReads } from './rules.conditions';

type DryRunItem = RuleDryRun['items'][number];

/** Tickets looked at side by side: each costs one equality read of its customer messages. */
const CONCURRENCY = 8;
const EXCERPT = 280;

const messageFields = { _id: 1, ticketId: 1, channelId: 1, direction: 1, visibility: 1, text: 1, contactId: 1, externalId: 1, language: 1, sentAt: 1, createdAt: 1, deleted: 1 };

/**
 * The customer messages a rule would have been tried on in this ticket: the opening one for
 * ticket.created, the latest for message.created (one read: the ticket's customer messages).
 */
async function candidatesOf(ticket: TicketDoc, triggers: readonly RuleTrigger[]): Promise<Array<{ trigger: RuleTrigger; message: MessageDoc }>> {
  const messages = await Message.find({ ticketId: ticket._id, direction: 'inbound' }, messageFields).lean<MessageDoc[]>();
  if (messages.length === 0) return [];
  messages.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a._id.toHexString().localeCompare(b._id.toHexString()));
  const candidates: Array<{ trigger: RuleTrigger; message: MessageDoc }> = [];
  if (triggers.includes('ticket.created')) {
    const opening = messages.find((message) => message.externalId === ticket.openingExternalId) ?? messages[0];
    if (opening) candidates.push({ trigger: 'ticket.created', message: opening });
  }
  const latest = messages.at(-1);
  if (triggers.includes('message.created') && latest && !candidates.some(({ message }) => message._id.equals(latest._id))) {
    candidates.push({ trigger: 'message.created', message: latest });
  }
  return candidates;
}

async function tryTicket(compiled: CompiledRule, ticket: TicketDoc, schedules: ScheduleReads): Promise<DryRunItem | null> {
  for (const { trigger, message } of await candidatesOf(ticket, compiled.triggers)) {
    if (message.visibility !== 'public' && message.visibility !== 'private') continue;
    if (!(await conditionsHold(compiled.conditions, ruleSubject(ticket, message, schedules)))) continue;
    const contact = message.contactId ? await Contact.findById(message.contactId).lean<ContactDoc>() : null;
    const actor = { kind: 'rule' as const, id: compiled.rule._id, name: compiled.rule.name };
    const actions = [];
    for (const action of compiled.actions) actions.push(await previewAction(action, { actor, ticket, message, contact }));
    return {
      ticket: {
        id: ticket._id.toHexString(),
        number: ticket.number,
        subject: ticket.subject,
        channelId: ticket.channelId.toHexString(),
        channelKind: ticket.channelKind,
        status: ticket.status,
        priority: ticket.priority,
      },
      trigger,
      message: {
        id: message._id.toHexString(),
        text: message.text.length > EXCERPT ? `${message.text.slice(0, EXCERPT - 1)}…` : message.text,
        visibility: message.visibility,
        language: message.language ?? null,
        sentAt: message.sentAt.toISOString(),
      },
      actions,
    };
  }
  return null;
}

/**
 * Which of the newest tickets the rule would have matched, and what it would have done to
 * each, changing nothing. The rule is tried alone (as if no earlier rule had stopped it), on
 * each ticket as it is now; business hours are judged at the time the customer wrote.
 */
export async function dryRunRule(rule: RuleDoc, log: Logger): Promise<RuleDryRun> {
  const compiled = compileRule(rule, log);
  if (!compiled) throw new Invalid('this rule no longer fits the rule schema: save it again', 'conditions');
  // Newest first by _id: the one order FerretDB serves from its own index.
  const tickets = await Ticket.find().sort({ _id: -1 }).limit(RULE_DRY_RUN_TICKETS).lean<TicketDoc[]>();
  const schedules: ScheduleReads = new Map();
  const results: Array<DryRunItem | null> = new Array<DryRunItem | null>(tickets.length).fill(null);
  let next = 0;
  const worker = async () => {
    while (next < tickets.length) {
      const index = next++;
      const ticket = tickets[index];
      if (ticket) results[index] = await tryTicket(compiled, ticket, schedules);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, tickets.length) }, worker));
  const items = results.filter((item): item is DryRunItem => item !== null);
  return { ruleId: rule._id.toHexString(), evaluated: tickets.length, matched: items.length, items };
}
