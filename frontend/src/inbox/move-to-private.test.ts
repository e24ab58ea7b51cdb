import type { CannedResponse, Message } from '@parley/common';
import { initialMoveTexts, moveStepsOf, moveTargetOf } from './move-to-private';

const at = '2026-11-20T09:00:00.000Z';
function message(id: string, fields: Partial<Message>): Message {
  return {
    id: id.padStart(24, '0'),
    ticketId: 'a'.repeat(24),
    channelId: 'c'.repeat(24),
    direction: 'inbound',
    visibility: 'public',
    text: id,
    attachments: [],
    contactId: null,
    authorUserId: null,
    authorName: null,
    author: { type: 'customer', name: null, userId: null },
    quickReplies: [],
    externalId: id,
    externalThreadId: null,
    externalParentId: null,
    deliveryState: 'received',
    failureReason: null,
    approval: null,
    deleted: false,
    edited: false,
    language: null,
    sentiment: null,
    engagement: null,
    sentAt: at,
    createdAt: at,
    updatedAt: at,
    ...fields,
  };
}
const canned = (shortcut: string, text: string, translations: CannedResponse['translations'] = []): CannedResponse => ({ id: 'd'.repeat(24), shortcut, title: shortcut, text, translations, createdAt: at, updatedAt: at });
const names = { firstName: 'Ana', agentName: 'Robin' };

describe('reply & move to private in the composer', () => {
  it('answers the customer\'s latest public message, not a later private one or our own', () => {
    const thread = [message('1', {}), message('2', { text: 'later, in public' }), message('3', { visibility: 'private' }), message('4', { direction: 'outbound' })];
    expect(moveTargetOf(thread)?.text).toBe('later, in public');
    expect(moveTargetOf([message('5', { visibility: 'private' })])).toBeUndefined();
  });

  it('starts from the team\'s canned replies in the customer\'s language, else Parley\'s own in that language', () => {
    const replies = [canned('dm', 'Hi {{first_name}}, see your DMs'), canned('dm-greeting', 'Hi {{first_name}}, {{agent_name}} here'), canned('dm-es', 'Hola {{first_name}}, te escribimos')];
    expect(initialMoveTexts([message('1', { language: 'en' })], replies, names)).toEqual({ publicText: 'Hi Ana, see your DMs', privateText: 'Hi Ana, Robin here' });
    // Spanish: the team's Spanish acknowledgement; no Spanish greeting, so Parley's own (never the English one).
    const spanish = initialMoveTexts([message('1', { language: 'es' })], replies, names);
    expect(spanish.publicText).toBe('Hola Ana, te escribimos');
    expect(spanish.privateText).toMatch(/^Hola Ana, soy Robin\./);
    // The customer's latest message decides, private or not; none known: English.
    expect(initialMoveTexts([message('1', { language: 'es' }), message('2', { visibility: 'private', language: 'fr' })], [], names).publicText).toMatch(/^Bonjour Ana/);
    expect(initialMoveTexts([message('1', {})], undefined, names).publicText).toMatch(/^Hi Ana, sorry to hear that!/);
    // A shared reply with a French text: the French customer gets it.
    const translated = [canned('dm', 'Hi {{first_name}}, see your DMs', [{ language: 'fr', text: 'Bonjour {{first_name}}, regardez vos messages privés' }])];
    expect(initialMoveTexts([message('1', { language: 'fr' })], translated, names).publicText).toBe('Bonjour Ana, regardez vos messages privés');
    expect(initialMoveTexts([message('1', { language: 'es' })], translated, names).publicText).toMatch(/^Hola Ana/);
  });

  it('names the move\'s steps in the thread', () => {
    const steps = moveStepsOf({ state: 'failed', publicMessageId: 'a'.repeat(24), privateMessageId: 'b'.repeat(24), invitationMessageId: 'c'.repeat(24), startedAt: at, startedBy: { kind: 'user', id: null, name: 'Robin' }, reason: 'DMs closed' });
    expect([...steps.values()]).toEqual(['Acknowledgement', 'First private message', 'Invitation to write privately']);
    expect(moveStepsOf(null).size).toBe(0);
  });
});
