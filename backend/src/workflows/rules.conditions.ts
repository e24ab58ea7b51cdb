import { Script, createContext } from 'node:vm';
import {
  compileKeyword,
  containsKeyword,
  isWithinBusinessHours,
  searchableText,
  type BusinessHoursSpec,
  type CompiledKeyword,
  type RuleCondition,
  type RuleConditions,
  type SearchableText,
} from '@parley/common';
import { Contact, type ContactDoc } from '../contacts/contact.model';
import { BusinessHours, type BusinessHoursDoc } from '../sla/business-hours.model';
import { slaOf } from '../sla/sla.codec';
import type { MessageDoc } from '../tickets/message.model';
import type { TicketDoc } from '../tickets/ticket.model';

/**
 * What a rule's conditions are tried on: one customer message and its ticket. What costs a
 * read (the contact, a schedule) is fetched only when a condition asks, once per message.
 */
export interface RuleSubject {
  ticket: TicketDoc;
  message: MessageDoc;
  /** When the customer wrote (the platform's time, never later than when Parley got it). */
  at: Date;
  text(): SearchableText;
  contact(): Promise<ContactDoc | null>;
  /** A schedule by id (null: the ticket's SLA schedule); null when around the clock, undefined when it no longer exists. */
  schedule(id: string | null): Promise<BusinessHoursSpec | null | undefined>;
}

/** Why a condition could not be decided at run time (a schedule deleted since, a pattern that ran too long): it counts as false. */
export type ConditionProblem = (problem: string) => void;

type Compiled =
  | { condition: Extract<RuleCondition, { field: 'keywords' }>; keywords: CompiledKeyword[] }
  | { condition: Extract<RuleCondition, { field: 'text' }>; pattern: RegExp }
  | { condition: Exclude<RuleCondition, { field: 'keywords' | 'text' }> };

export interface CompiledConditions {
  all: Compiled[];
  any: Compiled[];
}

function compile(condition: RuleCondition): Compiled {
  if (condition.field === 'keywords') return { condition, keywords: condition.words.map(compileKeyword) };
  if (condition.field === 'text') return { condition, pattern: new RegExp(condition.pattern, 'iu') };
  return { condition };
}

export function compileConditions(conditions: RuleConditions): CompiledConditions {
  return { all: conditions.all.map(compile), any: conditions.any.map(compile) };
}

// A rule's pattern is an admin's, the text a stranger's: a pattern that backtracks for ever
// on some text is cut off instead of stalling the worker.
const PATTERN_TIMEOUT_MS = 50;
const sandbox = createContext({ pattern: /$^/, text: '' });
const runPattern = new Script('pattern.test(text)');

function patternMatches(pattern: RegExp, text: string): boolean | 'timeout' {
  sandbox.pattern = pattern;
  sandbox.text = text;
  pattern.lastIndex = 0;
  try {
    return runPattern.runInContext(sandbox, { timeout: PATTERN_TIMEOUT_MS }) === true;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return 'timeout';
    throw error;
  }
}

/** "en" matches en and en-GB; "en-GB" only en-GB. */
const languageMatches = (language: string, wanted: string) => language === wanted || language.startsWith(`${wanted}-`);

function authorIdentities(contact: ContactDoc | null, subject: RuleSubject) {
  return contact?.identities.filter((identity) => identity.kind === subject.ticket.channelKind) ?? [];
}

async function holds(compiled: Compiled, subject: RuleSubject, problem: ConditionProblem): Promise<boolean> {
  const { condition } = compiled;
  const { ticket, message } = subject;
  const member = (inList: boolean, op: 'in' | 'not_in') => (op === 'in' ? inList : !inList);
  switch (condition.field) {
    case 'channel':
      return member(condition.channelIds.includes(ticket.channelId.toHexString()), condition.op);
    case 'channelKind':
      return member(condition.kinds.includes(ticket.channelKind), condition.op);
    case 'visibility':
      return message.visibility === condition.value;
    case 'language': {
      const language = message.language?.trim().toLowerCase() || null;
      if (condition.op === 'known') return language !== null;
      if (condition.op === 'unknown') return language === null;
      // Not known yet: neither among the languages named nor outside them.
      if (language === null) return false;
      return member((condition.values ?? []).some((wanted) => languageMatches(language, wanted)), condition.op);
    }
    case 'keywords': {
      if (!('keywords' in compiled)) return false;
      const text = subject.text();
      const found = compiled.keywords.map((keyword) => containsKeyword(text, keyword));
      if (condition.op === 'any') return found.some(Boolean);
      if (condition.op === 'all') return found.every(Boolean);
      return !found.some(Boolean);
    }
    case 'text': {
      if (!('pattern' in compiled)) return false;
      const matched = patternMatches(compiled.pattern, message.text);
      if (matched === 'timeout') {
        problem(`the pattern ${condition.pattern} took longer than ${PATTERN_TIMEOUT_MS} ms on this message; it counts as no match`);
        return false;
      }
      return condition.op === 'matches' ? matched : !matched;
    }
    case 'authorFollowers': {
      const counts = authorIdentities(await subject.contact(), subject)
        .map((identity) => identity.followers)
        .filter((followers): followers is number => typeof followers === 'number');
      if (counts.length === 0) return false;
      const followers = Math.max(...counts);
      return condition.op === 'gte' ? followers >= condition.value : followers <= condition.value;
    }
    case 'authorVerified': {
      const verified = authorIdentities(await subject.contact(), subject).some((identity) => identity.verified === true);
      return verified === condition.value;
    }
    case 'businessHours': {
      const hours = await subject.schedule(condition.businessHoursId ?? null);
      if (hours === undefined) {
        problem(`the business hours ${condition.businessHoursId ?? ''} no longer exist; the condition counts as false`);
        return false;
      }
      const open = isWithinBusinessHours(subject.at, hours);
      return condition.op === 'open' ? open : !open;
    }
    case 'sentiment': {
      const label = message.sentiment?.label;
      if (!label) return false;
      return member(condition.values.includes(label), condition.op);
    }
    case 'influence':
      return member(condition.values.includes(ticket.influenceTier ?? 'standard'), condition.op);
    case 'status':
      return member(condition.values.includes(ticket.status), condition.op);
    case 'priority':
      return member(condition.values.includes(ticket.priority), condition.op);
  }
}

/** Every condition of `all`, and one of `any` if it has any. */
export async function conditionsHold(conditions: CompiledConditions, subject: RuleSubject, problem: ConditionProblem = () => undefined): Promise<boolean> {
  for (const condition of conditions.all) if (!(await holds(condition, subject, problem))) return false;
  if (conditions.any.length === 0) return true;
  for (const condition of conditions.any) if (await holds(condition, subject, problem)) return true;
  return false;
}

const specOf = (schedule: BusinessHoursDoc): BusinessHoursSpec => ({ timezone: schedule.timezone, intervals: schedule.intervals, holidays: schedule.holidays });

/** Schedules read for one or more subjects (a dry run shares them across its tickets). */
export type ScheduleReads = Map<string, Promise<BusinessHoursSpec | null | undefined>>;

/** The subject of one customer message, with its lookups made at most once. */
export function ruleSubject(ticket: TicketDoc, message: MessageDoc, schedules: ScheduleReads = new Map()): RuleSubject {
  let text: SearchableText | undefined;
  let contact: Promise<ContactDoc | null> | undefined;
  return {
    ticket,
    message,
    at: new Date(Math.min(message.sentAt.getTime(), message.createdAt.getTime())),
    text: () => (text ??= searchableText(message.text)),
    contact: () => (contact ??= message.contactId ? Contact.findById(message.contactId).lean<ContactDoc>() : Promise.resolve(null)),
    schedule: (id) => {
      // Without a schedule named, the one the ticket's SLA counts in; none: around the clock.
      const scheduleId = id ?? slaOf(ticket)?.businessHoursId?.toHexString() ?? null;
      if (scheduleId === null) return Promise.resolve(null);
      let found = schedules.get(scheduleId);
      if (!found) {
        found = BusinessHours.findById(scheduleId)
          .lean<BusinessHoursDoc>()
          .then((schedule) => (schedule ? specOf(schedule) : undefined));
        schedules.set(scheduleId, found);
      }
      // The SLA's own schedule deleted since: its clocks count around the clock, and so does this.
      return id === null ? found.then((spec) => spec ?? null) : found;
    },
  };
}
