import type { BotLanguage } from '@parley/common';
import { ConversationState, MemoryStorage, TestAdapter, UserState, type Activity, type Attachment } from 'botbuilder-core';
import type { AnswerMatch, AnswerMatcher } from '../bot/answers.matcher';
import type { ParleyChannelData } from '../bot/bot.activity';
import { ParleyBot } from '../bot/parley.bot';

/**
 * Talking to ParleyBot as a customer would, through botbuilder's TestAdapter: each `say` is one
 * customer message (or tap, or event) and returns what the bot sent back for it.
 */

/** Friday 14 March 2025, 22:00 in Paris. */
export const NOW = new Date('2025-03-14T21:00:00Z');
/** Saturday 09:00 in Paris. */
export const TOMORROW_9AM_PARIS = '2025-03-15T08:00:00Z';

/** A small knowledge base: a few intents, each recognised and answered in English, Spanish and French. */
const INTENTS: Array<{ intent: string; keywords: RegExp; answers: Record<BotLanguage, string> }> = [
  {
    intent: 'baggage_allowance',
    keywords: /\b(baggage|luggage|equipaje|maleta|bagages?|valise)\b/i,
    answers: { en: 'You can bring one cabin bag of up to 10 kg.', es: 'Puedes llevar una maleta de cabina de hasta 10 kg.', fr: 'Vous pouvez emporter un bagage cabine de 10 kg maximum.' },
  },
  {
    intent: 'refunds',
    keywords: /\b(refunds?|reembolsos?|rembours\w*)\b/i,
    answers: { en: 'Refunds reach your card within 7 days.', es: 'Los reembolsos llegan a tu tarjeta en 7 días.', fr: 'Les remboursements arrivent sur votre carte sous 7 jours.' },
  },
  {
    intent: 'opening_hours',
    keywords: /\b(hours|horario|horaires)\b/i,
    answers: { en: 'Our team answers from 9:00 to 18:00, Monday to Saturday.', es: 'Nuestro equipo responde de 9:00 a 18:00, de lunes a sábado.', fr: 'Notre équipe répond de 9 h à 18 h, du lundi au samedi.' },
  },
  {
    intent: 'order_tracking',
    keywords: /\b(track|tracking|seguimiento|suivi)\b/i,
    answers: { en: 'You can follow your parcel from the link in your confirmation email.', es: 'Puedes seguir tu paquete con el enlace del correo de confirmación.', fr: 'Vous pouvez suivre votre colis grâce au lien de votre e-mail de confirmation.' },
  },
];

export class TestAnswers implements AnswerMatcher {
  readonly asked: Array<{ text: string; language: string | null; visibility: 'public' | 'private' }> = [];

  match(text: string, language: string | null, visibility: 'public' | 'private'): Promise<AnswerMatch | null> {
    this.asked.push({ text, language, visibility });
    const found = INTENTS.find((intent) => intent.keywords.test(text));
    const answerLanguage: BotLanguage = language === 'es' || language === 'fr' ? language : 'en';
    return Promise.resolve(found ? { answerId: `kb-${found.intent}`, intent: found.intent, text: found.answers[answerLanguage], language: answerLanguage, confidence: 0.9 } : null);
  }
}

export const TOPICS: Record<BotLanguage, string[]> = { en: ['Baggage allowance', 'Refunds'], es: ['Equipaje', 'Reembolsos'], fr: ['Bagages', 'Remboursements'] };

export const channelData = (overrides: Partial<ParleyChannelData> = {}): ParleyChannelData => ({
  visibility: 'private',
  ticketId: 'ticket-1',
  platform: {},
  language: 'en',
  sentiment: { score: 0, label: 'neutral' },
  followers: 120,
  influenceTier: 'standard',
  vip: false,
  handoffReach: 100_000,
  afterHours: false,
  nextOpeningAt: null,
  timezone: 'Europe/Paris',
  quickReplies: true,
  botName: 'Sky',
  brandName: 'SkyAir',
  ...overrides,
});

export interface CustomerSays {
  text?: string;
  value?: string;
  attachments?: Attachment[];
  name?: string;
  channel?: Partial<ParleyChannelData>;
  /** Another conversation of the same customer (a private one opened from public). */
  conversationId?: string;
}

export function botConversation({ topics = TOPICS }: { topics?: Partial<Record<BotLanguage, string[]>> } = {}) {
  const storage = new MemoryStorage();
  const answers = new TestAnswers();
  const bot = new ParleyBot({ conversationState: new ConversationState(storage), userState: new UserState(storage), answers, now: () => NOW, topics });
  const adapter = new TestAdapter(async (context) => bot.run(context));
  /** Channel data every later message carries unless it says otherwise (the conversation's visibility, language…). */
  let standing: Partial<ParleyChannelData> = {};

  const receive = async (activity: Partial<Activity>): Promise<Array<Partial<Activity>>> => {
    await adapter.send(activity);
    return adapter.activeQueue.splice(0);
  };

  return {
    adapter,
    storage,
    answers,
    /** Channel data for every later message. */
    set(overrides: Partial<ParleyChannelData>) {
      standing = { ...standing, ...overrides };
    },
    say({ text, value, attachments, name = 'Ana García', channel, conversationId }: CustomerSays): Promise<Array<Partial<Activity>>> {
      const conversation = conversationId ? { conversation: { id: conversationId, isGroup: false, name: conversationId, conversationType: 'personal' } } : {};
      return receive({ type: 'message', text, value, attachments, from: { id: 'customer-1', name }, channelData: channelData({ ...standing, ...channel }), ...conversation });
    },
    event(name: string, channel: Partial<ParleyChannelData> = {}): Promise<Array<Partial<Activity>>> {
      return receive({ type: 'event', name, from: { id: 'parley', name: 'Parley' }, channelData: channelData({ ...standing, ...channel }) });
    },
  };
}

/** The text the customer reads in the bot's replies (message activities), one string per message. */
export const textsOf = (replies: ReadonlyArray<Partial<Activity>>): string[] => replies.filter((reply) => reply.type === 'message').map((reply) => reply.text ?? '');
export const onlyText = (replies: ReadonlyArray<Partial<Activity>>): string => {
  const texts = textsOf(replies);
  if (texts.length !== 1) throw new Error(`expected one message, got ${texts.length}: ${JSON.stringify(replies)}`);
  return texts[0] ?? '';
};
export const handoffOf = (replies: ReadonlyArray<Partial<Activity>>): unknown => replies.find((reply) => reply.type === 'handoff')?.value;
export const buttonsOf = (replies: ReadonlyArray<Partial<Activity>>) =>
  replies.filter((reply) => reply.type === 'message').flatMap((reply) => reply.suggestedActions?.actions ?? []).map(({ type, title, value }) => ({ type, title, value: value as unknown }));
