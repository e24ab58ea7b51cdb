import { HANDOFF_PAYLOAD } from '@parley/common';
import { BotEvents } from './bot.activity';
import { RESUME_EVENT } from './parley.bot';
import { botConversation, handoffOf, onlyText, TOMORROW_9AM_PARIS } from '../test/bot-conversation';

const noLearning = { intent: null, reference: null, email: null };

describe('the bot hands over to a person', () => {
  it.each([
    ['en', 'Can I talk to a human?', 'Of course!\nA person from our team will take it from here.'],
    ['es', 'Quiero hablar con un agente', '¡Claro!\nUna persona de nuestro equipo seguirá contigo a partir de aquí.'],
    ['fr', 'Je voudrais parler à un conseiller', 'Bien sûr !\nUne personne de notre équipe prend le relais.'],
  ])('when the customer asks, in %s', async (language, text, handoffLines) => {
    const talk = botConversation();
    talk.set({ language });
    await talk.say({ text: language === 'en' ? 'Hello' : language === 'es' ? 'Hola' : 'Bonjour' });
    const replies = await talk.say({ text });
    expect(replies.map((reply) => reply.type)).toEqual(['message', 'handoff']);
    expect(onlyText(replies)).toBe(handoffLines);
    expect(handoffOf(replies)).toEqual({ reason: 'customer_asked', learnt: { ...noLearning, language } });
  });

  it('when the customer taps "Talk to a person", and tells the opening after hours', async () => {
    const talk = botConversation();
    talk.set({ language: 'fr', afterHours: true, nextOpeningAt: TOMORROW_9AM_PARIS });
    await talk.say({ text: 'Bonjour' });
    const replies = await talk.say({ text: "Parler à quelqu'un", value: HANDOFF_PAYLOAD });
    expect(onlyText(replies)).toBe('Bien sûr !\nUne personne de notre équipe prend le relais et vous répondra demain à 09:00 (UTC+1).');
    expect(handoffOf(replies)).toMatchObject({ reason: 'customer_asked' });
  });

  it('at once on a first message that asks for a person: the greeting, then the hand-off', async () => {
    const talk = botConversation();
    const replies = await talk.say({ text: 'agent please', channel: { afterHours: true, nextOpeningAt: null } });
    expect(onlyText(replies)).toBe("Hi Ana, I'm Sky, SkyAir's assistant.\nOf course!\nA person from our team will take it from here and answer shortly.");
  });

  it('when the customer is clearly unhappy, but not when only a little', async () => {
    const mild = botConversation();
    expect(handoffOf(await mild.say({ text: 'The baggage rules are a bit annoying', channel: { sentiment: { label: 'negative', score: -0.3 } } }))).toBeUndefined();
    const angry = botConversation();
    const replies = await angry.say({ text: 'Worst airline ever, you lost my baggage', channel: { language: 'es', sentiment: { label: 'negative', score: -0.8 } } });
    expect(onlyText(replies)).toBe('¡Hola, Ana! Soy Sky, el asistente de SkyAir.\nSiento mucho lo ocurrido.\nUna persona de nuestro equipo seguirá contigo a partir de aquí.');
    expect(handoffOf(replies)).toMatchObject({ reason: 'negative_sentiment' });
  });

  it.each([
    ['on a VIP list', { vip: true }],
    ['with a reach at the channel’s threshold', { followers: 250_000, handoffReach: 250_000 }],
  ])('at once for a customer %s, even with a question the bot could answer', async (_case, channel) => {
    const talk = botConversation();
    const replies = await talk.say({ text: 'How much baggage can I bring?', channel });
    expect(onlyText(replies)).toBe("Hi Ana, I'm Sky, SkyAir's assistant.\nThanks for reaching out.\nA person from our team will take it from here.");
    expect(handoffOf(replies)).toMatchObject({ reason: 'vip' });
    expect(talk.answers.asked).toEqual([]);
  });

  it('when it did not understand twice in a row', async () => {
    const talk = botConversation();
    expect(handoffOf(await talk.say({ text: 'flibber' }))).toBeUndefined();
    const replies = await talk.say({ text: 'jabberwock' });
    expect(onlyText(replies)).toBe("I'm sorry I couldn't help with this myself.\nA person from our team will take it from here.");
    expect(handoffOf(replies)).toMatchObject({ reason: 'not_understood' });
  });

  it('when business hours begin: "you are next in line", in the conversation’s language', async () => {
    const talk = botConversation();
    await talk.say({ text: 'Hola', channel: { language: 'es', afterHours: true, nextOpeningAt: TOMORROW_9AM_PARIS } });
    const replies = await talk.event(BotEvents.businessHoursOpen, { language: null, afterHours: false });
    expect(onlyText(replies)).toBe('Nuestro equipo ya está disponible y tu turno es el siguiente: una persona te atenderá en un momento.');
    expect(handoffOf(replies)).toEqual({ reason: 'business_hours', learnt: { ...noLearning, language: 'es' } });
  });

  it('having saved the decision before anything is sent', async () => {
    const talk = botConversation();
    const stored: unknown[] = [];
    talk.adapter.use(async (context, next) => {
      context.onSendActivities(async (_context, activities, send) => {
        const state = await talk.storage.read([`test/conversations/Convo1/`]);
        stored.push(JSON.stringify(state));
        return send();
      });
      await next();
    });
    await talk.say({ text: 'human' });
    expect(stored).toHaveLength(2);
    for (const snapshot of stored) expect(snapshot).toContain('"handedOff":true');
  });
});

describe('after the hand-off the bot is silent, until Parley resumes it', () => {
  it('says nothing to later messages, taps or events; after resume it answers, without a new greeting', async () => {
    const talk = botConversation();
    await talk.say({ text: 'Hello' });
    await talk.say({ text: 'agent' });
    expect(await talk.say({ text: 'hello? anyone?' })).toEqual([]);
    expect(await talk.say({ text: 'Talk to a person', value: HANDOFF_PAYLOAD })).toEqual([]);
    expect(await talk.say({ text: 'I am furious', channel: { sentiment: { label: 'negative', score: -0.9 }, vip: true } })).toEqual([]);
    expect(await talk.event(BotEvents.businessHoursOpen)).toEqual([]);
    expect(await talk.event(RESUME_EVENT)).toEqual([]);
    expect(onlyText(await talk.say({ text: 'What about baggage?' }))).toBe('You can bring one cabin bag of up to 10 kg.\n' + "To get things ready for the team, could you share your booking reference or order number (like ABC123 or #123456)? If you don't have one, just write \"skip\".");
  });

  it('starts counting misunderstandings afresh after a resume', async () => {
    const talk = botConversation();
    await talk.say({ text: 'flibber' });
    await talk.say({ text: 'jabberwock' });
    await talk.event(RESUME_EVENT);
    expect(handoffOf(await talk.say({ text: 'flibber' }))).toBeUndefined();
    expect(handoffOf(await talk.say({ text: 'jabberwock' }))).toMatchObject({ reason: 'not_understood' });
  });
});
