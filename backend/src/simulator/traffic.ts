import { createHash } from 'node:crypto';
import { xoroshiro128plus, type RandomGenerator } from 'pure-rand';
import type { SimulatorEvent } from '@parley/common';
import { corpus, emojiByTone, moodOf, tones, type Tone } from './corpus';
import { authorOf, customers, influencers, personaById, type Lang, type Persona, type Platform } from './personas';

/**
 * The simulator's traffic: mentions, replies inside earlier threads and private messages
 * from a pool of customers and a few high-reach authors, in several languages and moods.
 * Everything it writes is decided by a seeded generator, so one seed and one sequence of
 * times give one stream, in tests, benchmarks and demos alike.
 */

export interface TrafficChannel {
  id: string;
  imitates: Platform;
}

export type TrafficKind = SimulatorEvent['kind'];

/** One event to deliver to one channel, with what the generator meant by it. */
export interface GeneratedDelivery {
  channelId: string;
  event: SimulatorEvent;
  tone: Tone;
  personaId: string;
}

/** An agent's reply the simulated customer may answer. */
export interface AnsweredReply {
  /** The platform id of the brand's reply. */
  replyId: string;
  channelId: string;
  visibility: 'public' | 'private';
  author: SimulatorEvent['author'];
  lang: string;
  /** The conversation of a public reply. */
  thread?: string;
}

export interface TrafficOptions {
  seed: string;
  channels: readonly TrafficChannel[];
  /** Chance that a customer writes back after an agent's reply (0 to 1). */
  answerProbability?: number;
}

export interface Traffic {
  /** The next event of the stream, written at `at`. */
  next(at: Date): GeneratedDelivery;
  /** About `conversations` conversations spread over the `spanMs` before `now`, oldest first. */
  backlog(conversations: number, now: Date, spanMs?: number): GeneratedDelivery[];
  /** The customer's answer to an agent's reply, or null when this customer does not answer. */
  answer(reply: AnsweredReply, at: Date): GeneratedDelivery | null;
}

interface PublicPost {
  id: string;
  thread: string;
  channelId: string;
  personaId: string;
  lang: Lang;
  tone: Tone;
}

const brandOn: Record<Platform, string> = { x: '@acme', facebook: 'Acme', instagram: '@acme' };
const toneWeights: Record<Tone, number> = { angry: 22, happy: 14, order_status: 28, product_question: 22, praise: 14 };
const INFLUENCER_SHARE = 0.06;
const REPLY_SHARE = 0.3;
const DM_SHARE = 0.25;
const REMEMBERED_POSTS = 60;

function seedOf(text: string): number {
  return createHash('sha256').update(text).digest().readInt32BE(0);
}

/** Uniform draws from a seeded generator. */
class Dice {
  constructor(private readonly rng: RandomGenerator) {}

  static of(seed: string): Dice {
    return new Dice(xoroshiro128plus(seedOf(seed)));
  }

  /** A number in [0, 1). */
  float(): number {
    return (this.rng.unsafeNext() >>> 0) / 4_294_967_296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.float() * items.length)];
    if (item === undefined) throw new Error('nothing to pick from');
    return item;
  }

  weighted<T>(items: readonly T[], weightOf: (item: T) => number): T {
    const total = items.reduce((sum, item) => sum + weightOf(item), 0);
    let point = this.float() * total;
    for (const item of items) {
      point -= weightOf(item);
      if (point < 0) return item;
    }
    return this.pick(items);
  }
}

const langOf = (value: string): Lang => (value in corpus ? (value as Lang) : 'en');

export function createTraffic(options: TrafficOptions): Traffic {
  if (options.channels.length === 0) throw new Error('the traffic generator needs at least one channel');
  const dice = Dice.of(options.seed);
  const runTag = createHash('sha256').update(options.seed).digest('hex').slice(0, 10);
  const answerProbability = options.answerProbability ?? 0.5;
  let sequence = 0;
  const posts: PublicPost[] = [];
  const orders = new Map<string, string>();
  const dmChannels = new Map<string, string>();

  const nextId = () => `sim-${runTag}-${(sequence += 1)}`;

  /** A customer writes where they usually do; without such a channel, always on the same one. */
  function channelFor(persona: Persona): TrafficChannel {
    const home = options.channels.filter((channel) => channel.imitates === persona.platform);
    const candidates = home.length > 0 ? home : options.channels;
    return candidates[Math.abs(seedOf(persona.id)) % candidates.length] as TrafficChannel;
  }

  const platformOf = (channelId: string): Platform => options.channels.find((channel) => channel.id === channelId)?.imitates ?? 'x';

  function orderOf(personaId: string, roll: Dice): string {
    let order = orders.get(personaId);
    if (!order) {
      order = `#${roll.pick(['A', 'B', 'C', 'D', 'E', 'K'])}${roll.int(1000, 9999)}`;
      orders.set(personaId, order);
    }
    return order;
  }

  function write(template: string, writer: { id: string; lang: Lang }, platform: Platform, roll: Dice, tone: Tone | null): string {
    let text = template
      .replaceAll('{brand}', brandOn[platform])
      .replaceAll('{order}', orderOf(writer.id, roll))
      .replaceAll('{product}', roll.pick(corpus[writer.lang].products))
      .replaceAll('{days}', String(roll.int(3, 10)));
    // French elides "de" before a vowel: "le service client d'Acme".
    if (writer.lang === 'fr') text = text.replace(/\b([dD])e (?=Acme\b)/g, "$1'");
    // A little extra emoji now and then, where the text has none.
    if (tone && roll.float() < 0.2 && !/\p{Extended_Pictographic}/u.test(text)) return `${text} ${roll.pick(emojiByTone[tone])}`;
    return text;
  }

  const pickTone = (allowed: readonly Tone[] = tones) => dice.weighted(allowed, (tone) => toneWeights[tone]);

  function deliver(channelId: string, persona: Persona, tone: Tone, event: Omit<SimulatorEvent, 'author' | 'lang' | 'at'>, at: Date): GeneratedDelivery {
    return { channelId, tone, personaId: persona.id, event: { ...event, author: authorOf(persona), lang: persona.lang, at: at.toISOString() } };
  }

  function mention(at: Date): GeneratedDelivery {
    const persona = dice.float() < INFLUENCER_SHARE ? dice.pick(influencers) : dice.weighted(customers, (candidate) => candidate.weight);
    const tone = persona.verified ? pickTone(['angry', 'praise', 'product_question']) : pickTone();
    const channel = channelFor(persona);
    const id = nextId();
    const text = write(dice.pick(corpus[persona.lang].mentions[tone]), persona, channel.imitates, dice, tone);
    posts.push({ id, thread: id, channelId: channel.id, personaId: persona.id, lang: persona.lang, tone });
    if (posts.length > REMEMBERED_POSTS) posts.shift();
    return deliver(channel.id, persona, tone, { id, kind: 'mention', thread: id, text }, at);
  }

  function reply(at: Date): GeneratedDelivery {
    // Recent threads draw more replies than old ones.
    const target = posts[posts.length - 1 - Math.floor(dice.float() ** 2 * posts.length)] as PublicPost;
    const root = personaById(target.personaId);
    const byAuthor = root !== undefined && !root.verified && dice.float() < 0.5;
    const sameLanguage = customers.filter((candidate) => candidate.lang === target.lang && candidate.id !== target.personaId);
    const persona = byAuthor ? root : dice.weighted(sameLanguage.length > 0 ? sameLanguage : customers, (candidate) => candidate.weight);
    const mood = moodOf[target.tone];
    const lines = corpus[persona.lang];
    const text = write(dice.pick(byAuthor ? lines.ownReplies[mood] : lines.pileOns[mood]), persona, platformOf(target.channelId), dice, target.tone);
    const id = nextId();
    posts.push({ id, thread: target.thread, channelId: target.channelId, personaId: persona.id, lang: persona.lang, tone: target.tone });
    if (posts.length > REMEMBERED_POSTS) posts.shift();
    return deliver(target.channelId, persona, target.tone, { id, kind: 'reply', thread: target.thread, parent: target.id, text }, at);
  }

  function directMessage(at: Date): GeneratedDelivery {
    const persona = dice.weighted(customers, (candidate) => candidate.weight);
    const earlier = dmChannels.get(persona.id);
    const channelId = earlier ?? channelFor(persona).id;
    const continues = earlier !== undefined && dice.float() < 0.6;
    const tone = continues ? 'order_status' : pickTone();
    const lines = corpus[persona.lang];
    const text = write(continues ? dice.pick(lines.dmContinuations) : dice.pick(lines.dms[tone]), persona, platformOf(channelId), dice, continues ? null : tone);
    dmChannels.set(persona.id, channelId);
    return deliver(channelId, persona, tone, { id: nextId(), kind: 'dm', thread: `dm:${persona.id}`, text }, at);
  }

  function next(at: Date): GeneratedDelivery {
    const roll = dice.float();
    if (roll < REPLY_SHARE && posts.length > 0) return reply(at);
    if (roll < REPLY_SHARE + DM_SHARE) return directMessage(at);
    return mention(at);
  }

  function backlog(conversations: number, now: Date, spanMs = 3 * 3_600_000): GeneratedDelivery[] {
    const deliveries: GeneratedDelivery[] = [];
    const threads = new Set<string>();
    // Conversations open at even steps with jitter; replies and follow-ups fall in between.
    const step = spanMs / Math.max(1, conversations * 1.6);
    let at = now.getTime() - spanMs;
    while (threads.size < conversations) {
      at += step * (0.5 + dice.float());
      const delivery = next(new Date(Math.min(at, now.getTime())));
      threads.add(delivery.event.thread ?? delivery.event.id);
      deliveries.push(delivery);
    }
    return deliveries;
  }

  function answer(reply: AnsweredReply, at: Date): GeneratedDelivery | null {
    // Decided by the reply alone, so the same reply always gets the same answer, or none.
    const roll = Dice.of(`${options.seed}:${reply.replyId}`);
    if (roll.float() >= answerProbability) return null;
    const lang = langOf(personaById(reply.author.id)?.lang ?? reply.lang);
    const kind = roll.pick(['thanks', 'thanks', 'waiting', 'detail'] as const);
    const tone: Tone = kind === 'thanks' ? 'happy' : kind === 'waiting' ? 'angry' : 'order_status';
    const text = write(roll.pick(corpus[lang].answers[kind]), { id: reply.author.id, lang }, platformOf(reply.channelId), roll, null);
    const id = `${reply.replyId}-answer`;
    const event: SimulatorEvent =
      reply.visibility === 'private' || !reply.thread
        ? { id, kind: 'dm', thread: `dm:${reply.author.id}`, author: reply.author, text, lang, at: at.toISOString() }
        : { id, kind: 'reply', thread: reply.thread, parent: reply.replyId, author: reply.author, text, lang, at: at.toISOString() };
    return { channelId: reply.channelId, tone, personaId: reply.author.id, event };
  }

  return { next, backlog, answer };
}
