import { Types } from 'mongoose';
import type { ContactDoc } from '../contacts/contact.model';
import { GuardrailBlocked, Invalid, Unavailable } from '../http/errors';
import { fillRuleText, refusalOf } from './rules.actions';

const contact = (name: string) => ({ _id: new Types.ObjectId(), name, identities: [], tags: [] }) as unknown as ContactDoc;

describe('rule actions', () => {
  it('fill {{first_name}} as the composer does', () => {
    expect(fillRuleText('Hi {{first_name}}, thanks! {{ first_name }}', contact('Kay  Jay'))).toBe('Hi Kay, thanks! Kay');
    expect(fillRuleText('Hi {{first_name}}', null)).toBe('Hi ');
  });

  it('record a reply the guardrails hold back with the reason and the findings, and rethrow what is no refusal', () => {
    const findings = [{ kind: 'email' as const, severity: 'block' as const, text: 'kay@example.com', start: 10, end: 25, message: 'An email address in public' }];
    expect(refusalOf(new GuardrailBlocked('This public reply holds personal data', findings))).toEqual({ detail: 'held back by the guardrails: This public reply holds personal data', findings });
    expect(refusalOf(new Invalid('A public reply on X takes at most 280 characters', 'text'))).toEqual({ detail: 'A public reply on X takes at most 280 characters' });
    // The database away is no refusal: the job retries the action.
    expect(refusalOf(new Unavailable('down'))).toBeUndefined();
    expect(refusalOf(new Error('boom'))).toBeUndefined();
  });
});
