import { Types } from 'mongoose';
import { Counter } from 'prom-client';
import type { RuleTrigger } from '@parley/common';
import { Contact, type ContactDoc } from '../contacts/contact.model';
import { isDuplicateKeyError } from '../db/errors';
import { registry } from '../metrics';
import { auditActorOf, type Actor } from '../tickets/actor';
import { AuditEvent } from '../tickets/audit-event.model';
import { Message, type MessageDoc } from '../tickets/message.model';
import { Ticket, type TicketDoc } from '../tickets/ticket.model';
import { RuleRun, ruleRunId, type RuleActionOutcome, type RuleRunDoc } from './rule.model';
import { runAction, type RuleActionDeps } from './rules.actions';
import type { CompiledRule, RuleCache } from './rules.cache';
import { conditionsHold, ruleSubject } from './rules.conditions';

export interface RulesEngineDeps extends RuleActionDeps {
  rules: RuleCache;
}

const ruleActions = new Counter({
  name: 'parley_rule_actions_total',
  help: 'Actions automation rules took, by action type and effect (change, unchanged, fail)',
  labelNames: ['type', 'effect'] as const,
  registers: [registry],
});

/** What the rules did with one message (for tests and logs). */
export interface RulesOutcome {
  /** The rules that matched (or had matched, on a replay), in order, with what their actions came to. */
  applied: Array<{ ruleId: string; name: string; trigger: RuleTrigger; outcomes: RuleActionOutcome[] }>;
}

const none: RulesOutcome = { applied: [] };

/** The triggers a customer message fires: every one is message.created; the one that opened its ticket also ticket.created. */
export function triggersOf(message: MessageDoc, ticket: TicketDoc): RuleTrigger[] {
  const opening = ticket.openingExternalId === message.externalId && ticket.channelId.equals(message.channelId);
  return opening ? ['ticket.created', 'message.created'] : ['message.created'];
}

/** Only what a customer wrote sets rules off: never our replies, notes, the bot, or the brand's own posts (so a rule's reply cannot loop). */
export const isCustomerMessage = (message: MessageDoc): boolean =>
  message.direction === 'inbound' && (message.visibility === 'public' || message.visibility === 'private') && message.ticketId !== null && !message.deleted;

/**
 * The claim of one rule on one message: the first to insert it runs the rule, a replay finds
 * it. Inserts under a unique _id are the one race FerretDB settles reliably.
 */
async function claim(compiled: CompiledRule, trigger: RuleTrigger, message: MessageDoc, ticketId: Types.ObjectId): Promise<RuleRunDoc> {
  const run: RuleRunDoc = {
    _id: ruleRunId(compiled.rule._id, message._id),
    ruleId: compiled.rule._id,
    ruleName: compiled.rule.name,
    messageId: message._id,
    ticketId,
    trigger,
    state: 'running',
    actions: compiled.actions,
    outcomes: [],
    replyIds: compiled.actions.map((action) => (action.type === 'public_reply' ? new Types.ObjectId().toHexString() : '')),
    auditId: new Types.ObjectId(),
    stopProcessing: compiled.rule.stopProcessing,
    startedAt: new Date(),
    finishedAt: null,
  };
  try {
    await RuleRun.create(run);
    return run;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const existing = await RuleRun.findById(run._id).lean<RuleRunDoc>();
    if (!existing) throw error;
    return existing;
  }
}

/**
 * Runs (or resumes) a claimed rule's actions in order as the rule, recording each outcome as
 * it finishes, then the audit entry that says what the rule did and why anything failed.
 */
async function complete(run: RuleRunDoc, message: MessageDoc, deps: RulesEngineDeps): Promise<RuleActionOutcome[]> {
  const actor: Actor = { kind: 'rule', id: run.ruleId, name: run.ruleName };
  const outcomes = [...run.outcomes];
  const contact = message.contactId ? await Contact.findById(message.contactId).lean<ContactDoc>() : null;
  for (let index = outcomes.length; index < run.actions.length; index++) {
    const action = run.actions[index];
    if (!action) break;
    const ticket = await Ticket.findById(run.ticketId).lean<TicketDoc>();
    if (!ticket) break;
    const replyId = run.replyIds[index];
    // A reply posted just before a crash is found by the id the claim chose for it.
    const posted = replyId ? await Message.exists({ _id: replyId }) : null;
    const outcome: RuleActionOutcome = posted
      ? { type: action.type, effect: 'change', detail: 'a public reply to the customer', messageId: replyId }
      : await runAction(action, { actor, ticket, message, contact }, replyId ? new Types.ObjectId(replyId) : null, deps);
    outcomes.push(outcome);
    ruleActions.inc({ type: outcome.type, effect: outcome.effect });
    if (outcome.effect === 'fail') deps.log.info({ ruleId: run.ruleId.toHexString(), messageId: message._id.toHexString(), action: action.type, reason: outcome.detail }, 'rule action failed');
    await RuleRun.updateOne({ _id: run._id }, { $set: { outcomes } });
  }
  try {
    await AuditEvent.create({
      _id: run.auditId,
      ticketId: run.ticketId,
      ...auditActorOf(actor),
      action: 'rule.applied',
      before: {},
      after: { ruleId: run.ruleId.toHexString(), trigger: run.trigger, messageId: message._id.toHexString(), actions: outcomes },
      at: new Date(),
    });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
  await RuleRun.updateOne({ _id: run._id }, { $set: { state: 'done', finishedAt: new Date() } });
  return outcomes;
}

/**
 * Tries the active rules, in order, on one customer message, and runs the actions of those
 * that match until one says stop. Safe to run any number of times for the same message: a
 * rule that already ran on it is not run again (a run cut short resumes where it stopped),
 * and one ticket's messages are worked on by one worker at a time.
 */
export async function runRules(messageId: Types.ObjectId, deps: RulesEngineDeps): Promise<RulesOutcome> {
  const message = await Message.findById(messageId).lean<MessageDoc>();
  if (!message?.ticketId || !isCustomerMessage(message)) return none;
  const ticketId = message.ticketId;
  const rules = await deps.rules.active();
  if (rules.length === 0) return none;

  // One ticket's rules run one message at a time: a redelivered message waits for the first run
  // to finish, and two messages of a conversation cannot interleave their changes (tags).
  return deps.locks.withLock(`rules:ticket:${ticketId.toHexString()}`, async () => {
    let ticket = await Ticket.findById(ticketId).lean<TicketDoc>();
    if (!ticket) return none;
    const triggers = triggersOf(message, ticket);
    const applied: RulesOutcome['applied'] = [];
    for (const compiled of rules) {
      const trigger = triggers.find((candidate) => compiled.triggers.includes(candidate));
      if (!trigger) continue;
      let run = await RuleRun.findById(ruleRunId(compiled.rule._id, message._id)).lean<RuleRunDoc>();
      if (!run) {
        const problem = (reason: string) => deps.log.warn({ ruleId: compiled.rule._id.toHexString(), messageId: messageId.toHexString(), reason }, 'rule condition could not be decided');
        // Later rules see what earlier ones changed (a priority set, a team assigned).
        if (!(await conditionsHold(compiled.conditions, ruleSubject(ticket, message), problem))) continue;
        run = await claim(compiled, trigger, message, ticketId);
      }
      const outcomes = run.state === 'done' ? run.outcomes : await complete(run, message, deps);
      applied.push({ ruleId: run.ruleId.toHexString(), name: run.ruleName, trigger: run.trigger, outcomes });
      if (run.stopProcessing) break;
      ticket = (await Ticket.findById(ticketId).lean<TicketDoc>()) ?? ticket;
    }
    return { applied };
  });
}
