import { Types } from 'mongoose';
import { ruleConditionSchema, searchableText, type BusinessHoursSpec, type RuleCondition } from '@parley/common';
import type { ContactDoc } from '../contacts/contact.model';
import type { MessageDoc } from '../tickets/message.model';
import type { TicketDoc } from '../tickets/ticket.model';
import { compileConditions, conditionsHold, type RuleSubject } from './rules.conditions';

const channelId = new Types.ObjectId();
const office: BusinessHoursSpec = { timezone: 'Europe/Paris', intervals: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' })), holidays: ['2026-12-25'] };

interface SubjectFields {
  text?: string;
  visibility?: 'public' | 'private';
  language?: string | null;
  followers?: number;
  verified?: boolean;
  at?: string;
  status?: TicketDoc['status'];
  priority?: TicketDoc['priority'];
  schedules?: Record<string, BusinessHoursSpec | null>;
}

function subject(fields: SubjectFields = {}): RuleSubject {
  const ticket = { _id: new Types.ObjectId(), channelId, channelKind: 'x', status: fields.status ?? 'new', priority: fields.priority ?? 'normal', tags: [] } as unknown as TicketDoc;
  const message = { _id: new Types.ObjectId(), text: fields.text ?? 'Where is my order?', visibility: fields.visibility ?? 'public', language: fields.language ?? null } as unknown as MessageDoc;
  const contact = {
    identities: [
      { kind: 'x', externalId: '1', ...(fields.followers !== undefined ? { followers: fields.followers } : {}), ...(fields.verified !== undefined ? { verified: fields.verified } : {}) },
      // Another platform's identity of the same person does not count for an X message.
      { kind: 'facebook', externalId: '2', followers: 9_000_000, verified: true },
    ],
  } as unknown as ContactDoc;
  const text = searchableText(message.text);
  return {
    ticket,
    message,
    at: new Date(fields.at ?? '2026-11-18T09:30:00Z'),
    text: () => text,
    contact: () => Promise.resolve(contact),
    schedule: (id) => Promise.resolve(id === null ? null : fields.schedules && id in fields.schedules ? fields.schedules[id] : undefined),
  };
}

const holds = (condition: unknown, fields: SubjectFields = {}, problems: string[] = []) =>
  conditionsHold(compileConditions({ all: [ruleConditionSchema.parse(condition)], any: [] }), subject(fields), (problem) => problems.push(problem));

describe('rule conditions', () => {
  it('channel by id and by kind', async () => {
    expect(await holds({ field: 'channel', op: 'in', channelIds: [channelId.toHexString()] })).toBe(true);
    expect(await holds({ field: 'channel', op: 'not_in', channelIds: [channelId.toHexString()] })).toBe(false);
    expect(await holds({ field: 'channelKind', op: 'in', kinds: ['facebook', 'x'] })).toBe(true);
    expect(await holds({ field: 'channelKind', op: 'not_in', kinds: ['x'] })).toBe(false);
  });

  it('visibility', async () => {
    expect(await holds({ field: 'visibility', op: 'is', value: 'public' })).toBe(true);
    expect(await holds({ field: 'visibility', op: 'is', value: 'private' })).toBe(false);
    expect(await holds({ field: 'visibility', op: 'is', value: 'private' }, { visibility: 'private' })).toBe(true);
  });

  it('language: a region matches its language, and an unknown language matches only "unknown"', async () => {
    expect(await holds({ field: 'language', op: 'in', values: ['en'] }, { language: 'en-GB' })).toBe(true);
    expect(await holds({ field: 'language', op: 'in', values: ['EN-gb'] }, { language: 'en' })).toBe(false);
    expect(await holds({ field: 'language', op: 'not_in', values: ['en'] }, { language: 'fr' })).toBe(true);
    expect(await holds({ field: 'language', op: 'in', values: ['en'] }, { language: null })).toBe(false);
    expect(await holds({ field: 'language', op: 'not_in', values: ['en'] }, { language: null })).toBe(false);
    expect(await holds({ field: 'language', op: 'unknown' }, { language: null })).toBe(true);
    expect(await holds({ field: 'language', op: 'known' }, { language: 'es' })).toBe(true);
  });

  it('keywords: any, all or none of them, as whole words', async () => {
    const text = 'Je veux un Rémboursement, la commande est arrivée cassée';
    expect(await holds({ field: 'keywords', op: 'any', words: ['refund', 'remboursement'] }, { text })).toBe(true);
    expect(await holds({ field: 'keywords', op: 'all', words: ['remboursement', 'cassee'] }, { text })).toBe(true);
    expect(await holds({ field: 'keywords', op: 'all', words: ['remboursement', 'retard'] }, { text })).toBe(false);
    expect(await holds({ field: 'keywords', op: 'none', words: ['refund', 'commande'] }, { text })).toBe(false);
    expect(await holds({ field: 'keywords', op: 'none', words: ['refund'] }, { text })).toBe(true);
    expect(await holds({ field: 'keywords', op: 'any', words: ['command'] }, { text })).toBe(false);
  });

  it('text patterns, and a pattern that runs too long counts as no match and says why', async () => {
    expect(await holds({ field: 'text', op: 'matches', pattern: '#[a-z]\\d{4}' }, { text: 'order #A1234 is late' })).toBe(true);
    expect(await holds({ field: 'text', op: 'not_matches', pattern: '#[a-z]\\d{4}' }, { text: 'order #A1234 is late' })).toBe(false);
    const problems: string[] = [];
    expect(await holds({ field: 'text', op: 'matches', pattern: '^(a+)+$' }, { text: `${'a'.repeat(40)}!` }, problems)).toBe(false);
    expect(problems).toEqual([expect.stringContaining('took longer than')]);
  });

  it("author followers and verified, on the message's platform; an unknown count matches neither way", async () => {
    expect(await holds({ field: 'authorFollowers', op: 'gte', value: 10_000 }, { followers: 25_000 })).toBe(true);
    expect(await holds({ field: 'authorFollowers', op: 'lte', value: 10_000 }, { followers: 25_000 })).toBe(false);
    expect(await holds({ field: 'authorFollowers', op: 'gte', value: 10_000 })).toBe(false);
    expect(await holds({ field: 'authorFollowers', op: 'lte', value: 10_000 })).toBe(false);
    expect(await holds({ field: 'authorVerified', op: 'is', value: true }, { verified: true })).toBe(true);
    expect(await holds({ field: 'authorVerified', op: 'is', value: true })).toBe(false);
    expect(await holds({ field: 'authorVerified', op: 'is', value: false })).toBe(true);
  });

  it('business hours open or closed when the customer wrote, a missing schedule counting as false', async () => {
    const hoursId = new Types.ObjectId().toHexString();
    const schedules = { [hoursId]: office };
    const wednesday = '2026-11-18T09:30:00Z'; // 10:30 in Paris
    const saturday = '2026-11-21T10:00:00Z';
    const christmas = '2026-12-25T10:00:00Z'; // a Friday, a holiday
    expect(await holds({ field: 'businessHours', op: 'open', businessHoursId: hoursId }, { at: wednesday, schedules })).toBe(true);
    expect(await holds({ field: 'businessHours', op: 'closed', businessHoursId: hoursId }, { at: saturday, schedules })).toBe(true);
    expect(await holds({ field: 'businessHours', op: 'closed', businessHoursId: hoursId }, { at: christmas, schedules })).toBe(true);
    // No schedule named and none on the ticket's SLA: around the clock.
    expect(await holds({ field: 'businessHours', op: 'open' }, { at: saturday })).toBe(true);
    const problems: string[] = [];
    expect(await holds({ field: 'businessHours', op: 'closed', businessHoursId: hoursId }, { at: saturday }, problems)).toBe(false);
    expect(problems).toEqual([expect.stringContaining('no longer exist')]);
  });

  it('ticket status and priority', async () => {
    expect(await holds({ field: 'status', op: 'in', values: ['new', 'open'] }, { status: 'open' })).toBe(true);
    expect(await holds({ field: 'status', op: 'not_in', values: ['solved'] }, { status: 'solved' })).toBe(false);
    expect(await holds({ field: 'priority', op: 'in', values: ['urgent'] }, { priority: 'high' })).toBe(false);
  });

  it('combines all (every one) with any (at least one)', async () => {
    const condition = (value: unknown) => ruleConditionSchema.parse(value);
    const angryVip: { all: RuleCondition[]; any: RuleCondition[] } = {
      all: [condition({ field: 'visibility', op: 'is', value: 'public' })],
      any: [condition({ field: 'authorVerified', op: 'is', value: true }), condition({ field: 'authorFollowers', op: 'gte', value: 100_000 })],
    };
    const compiled = compileConditions(angryVip);
    expect(await conditionsHold(compiled, subject({ followers: 250_000 }))).toBe(true);
    expect(await conditionsHold(compiled, subject({ verified: true, followers: 10 }))).toBe(true);
    expect(await conditionsHold(compiled, subject({ followers: 10 }))).toBe(false);
    expect(await conditionsHold(compiled, subject({ followers: 250_000, visibility: 'private' }))).toBe(false);
    expect(await conditionsHold(compileConditions({ all: [], any: [] }), subject())).toBe(true);
  });
});
