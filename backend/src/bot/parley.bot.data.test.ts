import { MOVE_TO_PRIVATE_EVENT, type MoveToPrivateValue } from './bot.activity';
import { botConversation, handoffOf, onlyText, textsOf } from '../test/bot-conversation';

const ASK_REFERENCE = "To get things ready for the team, could you share your booking reference or order number (like ABC123 or #123456)? If you don't have one, just write \"skip\".";
const ASK_EMAIL = 'And an email address where the team can reach you? Write "skip" if you\'d rather not.';

/** A private conversation in which the bot has just asked for the reference. */
async function askedForReference(language = 'en', question = 'I need a refund') {
  const talk = botConversation();
  talk.set({ language });
  await talk.say({ text: question });
  return talk;
}

describe('in private, the bot gathers what the agent will need', () => {
  it('asks for the reference after answering, then an email, and hands both over', async () => {
    const talk = await askedForReference();
    expect(onlyText(await talk.say({ text: 'abc123' }))).toBe(`Thanks, I've noted ABC123.\n${ASK_EMAIL}`);
    expect(onlyText(await talk.say({ text: 'It is Ana.Garcia@Example.com' }))).toBe("Thanks, I've noted your email.\nThe team will have everything they need. Is there anything else I can help with?");
    expect(handoffOf(await talk.say({ text: 'agent' }))).toEqual({ reason: 'customer_asked', learnt: { intent: 'refunds', reference: 'ABC123', email: 'ana.garcia@example.com', language: 'en' } });
  });

  it('re-asks with a hint after an invalid reference, and takes a valid one next', async () => {
    const talk = await askedForReference('es', 'Quiero un reembolso');
    expect(onlyText(await talk.say({ text: '12345' }))).toMatch(/^Mmm, eso no parece un código de reserva.*«no tengo»\.$/u);
    expect(onlyText(await talk.say({ text: 'Es el #123456' }))).toBe('Gracias, he anotado #123456.\n¿Y un correo electrónico en el que el equipo pueda contactarte? Escribe «no» si prefieres no darlo.');
    // The valid reference reset the count: one more miss is not yet a hand-off.
    const replies = await talk.say({ text: 'ana@gmail' });
    expect(onlyText(replies)).toMatch(/^Ese correo no parece del todo correcto/u);
    expect(handoffOf(replies)).toBeUndefined();
    expect(onlyText(await talk.say({ text: 'ana@gmail.com' }))).toMatch(/^Gracias, he anotado tu correo\./u);
  });

  it.each([
    ['en', 'I need a refund', 'skip', 'No problem.'],
    ['es', 'Quiero un reembolso', 'No tengo', 'Sin problema.'],
    ['fr', 'Je veux un remboursement', 'Non.', 'Pas de souci.'],
  ])('lets the customer skip in %s, and does not ask again', async (language, question, skip, noProblem) => {
    const talk = await askedForReference(language, question);
    expect(onlyText(await talk.say({ text: skip })).split('\n')[0]).toBe(noProblem);
    expect(onlyText(await talk.say({ text: skip })).split('\n')[0]).toBe(noProblem);
    const later = onlyText(await talk.say({ text: question }));
    expect(later).not.toMatch(/reference|referencia|référence|e-?mail|correo/iu);
    expect(handoffOf(await talk.say({ text: 'HANDOFF_HUMAN' }))).toMatchObject({ learnt: { reference: null, email: null } });
  });

  it('recognises a reference and an email given unasked, and asks only for what is missing', async () => {
    const talk = botConversation();
    expect(onlyText(await talk.say({ text: 'Hi, booking XK4J2L, how much baggage can I bring?' })).split('\n')).toEqual([
      "Hi Ana, I'm Sky, SkyAir's assistant.",
      "Thanks, I've noted XK4J2L.",
      'You can bring one cabin bag of up to 10 kg.',
      ASK_EMAIL,
    ]);
    expect(talk.answers.asked[0]?.text).toBe('Hi, booking how much baggage can I bring?');
    const both = botConversation();
    await both.say({ text: 'Hello' });
    expect(onlyText(await both.say({ text: 'order ORD-654321, me@example.org' }))).toBe("Thanks, I've noted ORD-654321.\nThanks, I've noted your email.\nThe team will have everything they need. Is there anything else I can help with?");
  });

  it('answers a question asked instead of the reference, and still takes the reference after', async () => {
    const talk = await askedForReference();
    expect(onlyText(await talk.say({ text: 'wait, what about baggage?' }))).toBe('You can bring one cabin bag of up to 10 kg.');
    expect(onlyText(await talk.say({ text: 'QWERTY' }))).toBe(`Thanks, I've noted QWERTY.\n${ASK_EMAIL}`);
  });

  it('hands over when the answer still does not fit, twice in a row', async () => {
    const talk = await askedForReference();
    await talk.say({ text: 'I have no clue where that is' });
    expect(handoffOf(await talk.say({ text: 'still no clue' }))).toMatchObject({ reason: 'not_understood', learnt: { intent: 'refunds', reference: null } });
  });
});

describe('in public, the bot never asks for personal data', () => {
  const moveOf = (replies: Awaited<ReturnType<ReturnType<typeof botConversation>['say']>>) => {
    const event = replies.find((reply) => reply.type === 'event' && reply.name === MOVE_TO_PRIVATE_EVENT);
    return event?.value as MoveToPrivateValue | undefined;
  };

  it.each([
    ['en', 'Where is my order?', "We've sent you a private message so we can look at your booking or order safely.", ASK_REFERENCE],
    ['es', '¿Dónde está mi pedido?', 'Te hemos enviado un mensaje privado para revisar tu reserva o pedido con seguridad.', 'Para dejarlo todo listo'],
    ['fr', 'Ma commande n’est pas arrivée', 'Nous vous avons envoyé un message privé pour examiner votre réservation ou votre commande en toute sécurité.', 'Pour préparer le travail'],
  ])('moves a customer’s own case to private in %s', async (language, text, publicLine, privateAsk) => {
    const talk = botConversation();
    const replies = await talk.say({ text, channel: { language, visibility: 'public' } });
    expect(textsOf(replies)).toEqual([]);
    const move = moveOf(replies);
    expect(move?.publicText.split('\n')).toEqual([expect.any(String), publicLine]);
    expect(move?.publicText).not.toMatch(/ABC123|#123456|e-?mail|correo|référence de réservation|código de reserva|booking reference/iu);
    expect(move?.privateText.split('\n')[1]).toContain(privateAsk);
    expect(move?.privateText).toMatch(/^(Hi|¡Hola|Bonjour)/u);
  });

  it('answers a general question in public without asking anything, and moves to private once', async () => {
    const talk = botConversation();
    talk.set({ visibility: 'public' });
    expect(onlyText(await talk.say({ text: 'How do refunds work?' }))).toBe("Hi Ana, I'm Sky, SkyAir's assistant.\nRefunds reach your card within 7 days.");
    expect(moveOf(await talk.say({ text: 'I booked a flight and need to change it' }))).toBeDefined();
    const after = await talk.say({ text: 'and my booking for the baggage?' });
    expect(moveOf(after)).toBeUndefined();
    expect(onlyText(after)).toBe('You can bring one cabin bag of up to 10 kg.');
  });

  it('keeps personal data posted in public for the agent, without echoing it', async () => {
    const talk = botConversation();
    talk.set({ visibility: 'public' });
    const replies = await talk.say({ text: '@SkyAir booking AB12CD, email ana@example.com — refund please' });
    const everything = JSON.stringify(replies);
    expect(everything).not.toContain('AB12CD');
    expect(everything).not.toContain('ana@example.com');
    expect(moveOf(replies)?.publicText).toContain('Refunds reach your card within 7 days.');
    const handoff = handoffOf(await talk.say({ text: 'I want a human' }));
    expect(handoff).toMatchObject({ learnt: { reference: 'AB12CD', email: 'ana@example.com', intent: 'refunds' } });
    expect(talk.answers.asked.every((asked) => asked.visibility === 'public' && !asked.text.includes('AB12CD'))).toBe(true);
  });

  it('continues in the private conversation the move opened: no second greeting, the reply taken as the reference', async () => {
    const talk = botConversation();
    await talk.say({ text: 'Hola, mi vuelo se ha cancelado', channel: { language: 'es', visibility: 'public' } });
    const reply = onlyText(await talk.say({ text: 'qwerty', conversationId: 'dm-1', channel: { language: 'und', visibility: 'private' } }));
    expect(reply).toBe('Gracias, he anotado QWERTY.\n¿Y un correo electrónico en el que el equipo pueda contactarte? Escribe «no» si prefieres no darlo.');
    const another = onlyText(await talk.say({ text: 'Hola', conversationId: 'dm-2', channel: { language: 'es', visibility: 'private' } }));
    expect(another).toMatch(/^¡Hola, Ana!/u);
  });

  it('does not ask for data while not understanding in public either', async () => {
    const talk = botConversation();
    talk.set({ visibility: 'public', quickReplies: false });
    const reply = onlyText(await talk.say({ text: 'blorp' }));
    expect(reply).not.toMatch(/reference|e-?mail|DM|private/iu);
  });
});
