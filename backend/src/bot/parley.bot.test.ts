import { HANDOFF_PAYLOAD } from '@parley/common';
import { botConversation, buttonsOf, handoffOf, onlyText, textsOf, TOMORROW_9AM_PARIS } from '../test/bot-conversation';

describe('the bot greets in the customer’s language, once', () => {
  it.each([
    ['en', 'Hello', "Hi Ana, I'm Sky, SkyAir's assistant.", 'How can I help?'],
    ['es', 'Hola', '¡Hola, Ana! Soy Sky, el asistente de SkyAir.', '¿En qué puedo ayudarte?'],
    ['fr', 'Bonjour', "Bonjour Ana, je suis Sky, l'assistant de SkyAir.", 'Comment puis-je vous aider ?'],
  ])('in %s', async (language, hello, greeting, help) => {
    const talk = botConversation();
    talk.set({ language });
    expect(onlyText(await talk.say({ text: hello })).split('\n')).toEqual([greeting, help]);
    const later = onlyText(await talk.say({ text: hello }));
    expect(later).toBe(help);
  });

  it('reads the language itself when triage has not (the try-the-bot panel), and falls back to English for others', async () => {
    const french = botConversation();
    expect(onlyText(await french.say({ text: 'Bonjour, quels sont vos horaires ?', channel: { language: null, sentiment: null } }))).toMatch(/^Bonjour Ana, je suis Sky.*\nNotre équipe répond de 9 h à 18 h/u);
    const spanish = botConversation();
    expect(onlyText(await spanish.say({ text: 'Hola, ¿cuál es el horario de atención?', channel: { language: 'und' } }))).toMatch(/^¡Hola, Ana! Soy Sky.*\nNuestro equipo responde/u);
    const german = botConversation();
    expect(onlyText(await german.say({ text: 'Guten Tag', channel: { language: 'de' } }))).toMatch(/^Hi Ana, I'm Sky/u);
  });

  it('keeps the conversation’s language for a message that tells none', async () => {
    const talk = botConversation();
    await talk.say({ text: 'Hola', channel: { language: 'es' } });
    expect(onlyText(await talk.say({ text: '👍', channel: { language: 'und' } }))).toMatch(/^Perdona/u);
  });

  it('leaves out a name that is a handle, and the brand when it has none', async () => {
    const talk = botConversation();
    expect(onlyText(await talk.say({ text: 'Hello', name: '@ana_88', channel: { brandName: '' } }))).toMatch(/^Hi, I'm Sky, the virtual assistant\./u);
  });
});

describe('after hours, the first reply says when a person will answer', () => {
  it.each([
    ['en', 'Hello', "Our team is away right now; a person will answer at 09:00 tomorrow (GMT+1)."],
    ['es', 'Hola', 'Ahora mismo nuestro equipo no está disponible; una persona te responderá mañana a las 09:00 (CET).'],
    ['fr', 'Bonjour', 'Notre équipe est absente pour le moment ; une personne vous répondra demain à 09:00 (UTC+1).'],
  ])('in %s, in the customer’s time zone', async (language, hello, line) => {
    const talk = botConversation();
    const [, afterHours] = onlyText(await talk.say({ text: hello, channel: { language, afterHours: true, nextOpeningAt: TOMORROW_9AM_PARIS } })).split('\n');
    expect(afterHours).toBe(line);
  });

  it('names the weekday further ahead, and says "shortly" without a schedule', async () => {
    const monday = botConversation();
    expect(onlyText(await monday.say({ text: 'Bonjour', channel: { language: 'fr', afterHours: true, nextOpeningAt: '2025-03-17T08:00:00Z' } }))).toContain('lundi à 09:00 (UTC+1)');
    const unscheduled = botConversation();
    expect(onlyText(await unscheduled.say({ text: 'Hello', channel: { afterHours: true, nextOpeningAt: null } }))).toContain('a person will answer shortly.');
    const later = onlyText(await unscheduled.say({ text: 'What are your hours?', channel: { afterHours: true } }));
    expect(later).not.toContain('away right now');
  });
});

describe('common questions', () => {
  it.each([
    ['en', 'How much baggage can I bring?', 'You can bring one cabin bag of up to 10 kg.'],
    ['es', '¿Cuánto equipaje puedo llevar?', 'Puedes llevar una maleta de cabina de hasta 10 kg.'],
    ['fr', 'Quelle est la limite de bagages ?', 'Vous pouvez emporter un bagage cabine de 10 kg maximum.'],
  ])('are answered from the knowledge base in %s, in public too', async (language, question, answer) => {
    const talk = botConversation();
    const reply = onlyText(await talk.say({ text: question, channel: { language, visibility: 'public' } }));
    expect(reply.split('\n')[1]).toBe(answer);
    expect(talk.answers.asked).toEqual([{ text: question, language, visibility: 'public' }]);
  });

  it('says it did not understand, with useful options, and a match resets the count', async () => {
    const talk = botConversation();
    expect(onlyText(await talk.say({ text: 'Blorp the flux capacitor' }))).toContain("Sorry, I'm not sure I understood.");
    expect(onlyText(await talk.say({ text: 'ok what about refunds' }))).toBe('Refunds reach your card within 7 days.\n' + "To get things ready for the team, could you share your booking reference or order number (like ABC123 or #123456)? If you don't have one, just write \"skip\".");
    await talk.say({ text: 'skip' });
    await talk.say({ text: 'skip' });
    const replies = await talk.say({ text: 'Blorp again' });
    expect(handoffOf(replies)).toBeUndefined();
    expect(onlyText(replies)).toContain("I'm not sure I understood");
  });
});

describe('quick replies', () => {
  it('offers "Talk to a person" as a button in the customer’s language, and the knowledge base’s topics after a misunderstanding', async () => {
    const talk = botConversation();
    expect(buttonsOf(await talk.say({ text: 'Hola', channel: { language: 'es' } }))).toEqual([{ type: 'postBack', title: 'Hablar con alguien', value: HANDOFF_PAYLOAD }]);
    const confused = await talk.say({ text: 'zzz qqq', channel: { language: 'es' } });
    expect(onlyText(confused)).toContain('¿Puedes decirlo de otra forma o elegir una de estas opciones?');
    expect(buttonsOf(confused)).toEqual([
      { type: 'imBack', title: 'Equipaje', value: 'Equipaje' },
      { type: 'imBack', title: 'Reembolsos', value: 'Reembolsos' },
      { type: 'postBack', title: 'Hablar con alguien', value: HANDOFF_PAYLOAD },
    ]);
    expect(confused[0]?.suggestedActions?.to).toEqual(['customer-1']);
  });

  it('offers "I don’t have one" while waiting for a reference, and tapping it skips', async () => {
    const talk = botConversation();
    const asked = await talk.say({ text: 'Je voudrais un remboursement', channel: { language: 'fr' } });
    expect(buttonsOf(asked).map((button) => button.title)).toEqual(["Je n'en ai pas", "Parler à quelqu'un"]);
    const skipped = onlyText(await talk.say({ text: "Je n'en ai pas", value: "je n'en ai pas", channel: { language: 'fr' } }));
    expect(skipped).toMatch(/^Pas de souci\.\nEt une adresse e-mail/u);
  });

  it('says the words to type where the platform has no buttons', async () => {
    const talk = botConversation();
    talk.set({ quickReplies: false });
    const hello = await talk.say({ text: 'Hello' });
    expect(buttonsOf(hello)).toEqual([]);
    expect(onlyText(hello)).toContain('You can write "agent" at any time to talk to a person.');
    const confused = onlyText(await talk.say({ text: 'zzz qqq' }));
    expect(confused).toContain('You can also write "agent" to talk to a person.');
    expect(confused).toContain('I can help with things like: Baggage allowance, Refunds.');
    expect(handoffOf(await talk.say({ text: 'agent' }))).toMatchObject({ reason: 'customer_asked' });
  });
});

describe('bad input', () => {
  it('acknowledges a picture or a sticker without guessing what it shows', async () => {
    const talk = botConversation();
    const picture = onlyText(await talk.say({ attachments: [{ contentType: 'image/jpeg', contentUrl: 'https://cdn.example/1.jpg' }], channel: { language: null, sentiment: null } }));
    expect(picture).toBe("Hi Ana, I'm Sky, SkyAir's assistant.\nThanks for the picture! I can only read text, so could you tell me in a few words what I can help with?");
    const spanish = botConversation();
    await spanish.say({ text: 'Hola', channel: { language: 'es' } });
    expect(onlyText(await spanish.say({ text: '😍', attachments: [{ contentType: 'image/webp', contentUrl: 'https://cdn.example/sticker.webp' }], channel: { language: 'und' } }))).toMatch(/^¡Gracias por la imagen!/u);
    expect(onlyText(await spanish.say({ attachments: [{ contentType: 'audio/ogg', contentUrl: 'https://cdn.example/voice.ogg' }], channel: { language: null } }))).toMatch(/^¡Gracias por enviarlo!/u);
  });

  it('hands a very long message to a person, who can read it all', async () => {
    const talk = botConversation();
    const story = 'My trip started well but then things happened. '.repeat(110);
    expect(story.length).toBeGreaterThanOrEqual(5_000);
    const replies = await talk.say({ text: story });
    expect(onlyText(replies)).toContain('Thanks for explaining all this.\nA person from our team will take it from here.');
    expect(handoffOf(replies)).toMatchObject({ reason: 'not_understood' });
  });

  it.each([
    ['emoji only', '🙂🙂🙂'],
    ['punctuation only', '?!?! ... ;;'],
  ])('answers %s without a crash, as not understood', async (_case, text) => {
    const talk = botConversation();
    const reply = onlyText(await talk.say({ text, channel: { language: 'und', sentiment: null } }));
    expect(reply).toMatch(/^Hi Ana, I'm Sky, SkyAir's assistant\.\nSorry, I'm not sure I understood\./u);
  });

  it('answers mixed languages in one language, the one it read', async () => {
    const talk = botConversation();
    const reply = onlyText(await talk.say({ text: 'Hola! I need ayuda con mi equipaje por favor, the maleta is too big', channel: { language: null, sentiment: null } }));
    const [greeting, answer] = reply.split('\n');
    const pairs: Record<string, string> = { "Hi Ana, I'm Sky, SkyAir's assistant.": 'You can bring one cabin bag of up to 10 kg.', '¡Hola, Ana! Soy Sky, el asistente de SkyAir.': 'Puedes llevar una maleta de cabina de hasta 10 kg.' };
    expect(pairs[greeting ?? '']).toBe(answer);
  });

  it('never sends an empty message', async () => {
    const talk = botConversation();
    for (const text of ['', '   ', 'hi']) for (const reply of textsOf(await talk.say({ text }))) expect(reply.trim()).not.toBe('');
  });
});
