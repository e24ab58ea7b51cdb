import { createHash } from 'node:crypto';
import { xoroshiro128plus, type RandomGenerator } from 'pure-rand';
import type { SimulatorEvent } from '@parley/common';
import { corpus, emojiByTone, moodOf, tones, type Tone } from './corpus';
import { authorOf, customers, fans, influencers, personaById, type Lang, type Persona, type Platform } from './personas';

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
/** Loyal fans write this share of the traffic: praise, a word for the brand in a complaint's thread, a share. */
const FAN_SHARE = 0.05;
/** A storm begins about once in this many events and takes over the stream for a while. */
const STORM_EVERY = 400;
const STORM_LENGTH = { min: 18, max: 30 };
/** How much of the stream a running storm takes. */
const STORM_SHARE = 0.8;

/** What customers shout during a storm (the hashtag of the day filled in as {tag}). */
const stormLines: Record<'en' | 'es' | 'fr', string[]> = {
  en: [
    '{brand} the app has been down for an hour and I cannot check in {tag} 😡',
    'Still waiting, {brand}. Nothing works {tag}',
    '{tag} again?! {brand} this is the third outage this month. Unacceptable.',
    'great, another {brand} outage 🙃 {tag}',
    'Lost my whole cart because {brand} crashed {tag} not happy',
  ],
  es: ['{brand} la app no funciona desde hace una hora {tag} 😡', '¿Alguien de {brand} me responde? Todo caído {tag}', 'Otra vez sin servicio, {brand}. Una vergüenza {tag}'],
  fr: ['{brand} l’appli ne marche pas depuis une heure {tag} 😡', 'Toujours rien, {brand}… tout est en panne {tag}', 'Encore une panne {brand}, c’est inadmissible {tag}'],
};
const stormTags = ['#AcmeDown', '#AcmeOutage', '#FixItAcme'];

/** What fans write: praise in public, a word for the brand under someone's complaint. */
const fanLines: Record<'en' | 'es' | 'fr', { praise: string[]; defense: string[] }> = {
  en: {
    praise: ['Love {brand}! My {product} is still going strong after two years 💯', 'Best customer care ever, thank you {brand} 🙌'],
    defense: ["{brand} sorted my issue within a day last time, they're great, hang in there!", 'Honestly {brand} support has always been amazing for me 👏'],
  },
  es: {
    praise: ['¡Me encanta {brand}! Mi {product} funciona perfecto 💯', 'Gracias {brand}, atención de diez 🙌'],
    defense: ['A mí {brand} me lo resolvió en un día, son geniales, ¡ánimo!', 'Siempre me han atendido genial en {brand} 👏'],
  },
  fr: {
    praise: ['J’adore {brand} ! Mon {product} marche parfaitement 💯', 'Merci {brand}, un service client génial 🙌'],
    defense: ['{brand} m’a aidé en un jour la dernière fois, ils sont super, courage !', 'Franchement le service de {brand} a toujours été top pour moi 👏'],
  },
};
const fanLang = (lang: Lang): 'en' | 'es' | 'fr' => (lang === 'es' || lang === 'fr' ? lang : 'en');

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
  let storm: { tag: string; remaining: number } | null = null;

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
    const engagement = engagementFor(persona);
    return deliver(channel.id, persona, tone, { id, kind: 'mention', thread: id, text, ...(engagement ? { engagement } : {}) }, at);
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

  /** Influencers' posts travel: the platform counts likes and reposts on them. */
  function engagementFor(persona: Persona): SimulatorEvent['engagement'] {
    if (!persona.verified) return undefined;
    const scale = Math.max(1, Math.round(persona.followers / 10_000));
    return { likes: dice.int(scale, scale * 5), replies: dice.int(0, scale), reposts: dice.int(0, scale * 2), quotes: dice.int(0, scale) };
  }

  /** An angry public mention carrying the storm's hashtag, from any customer. */
  function stormMention(at: Date, tag: string): GeneratedDelivery {
    const persona = dice.weighted(customers, (candidate) => candidate.weight);
    const lang = fanLang(persona.lang);
    const channel = channelFor(persona);
    const id = nextId();
    const text = dice.pick(stormLines[lang]).replaceAll('{brand}', brandOn[channel.imitates]).replaceAll('{tag}', tag);
    posts.push({ id, thread: id, channelId: channel.id, personaId: persona.id, lang: persona.lang, tone: 'angry' });
    if (posts.length > REMEMBERED_POSTS) posts.shift();
    return { channelId: channel.id, tone: 'angry', personaId: persona.id, event: { id, kind: 'mention', thread: id, text, author: authorOf(persona), lang, at: at.toISOString() } };
  }

  /** A fan: a word for the brand under a recent complaint, a repost of the brand's post, or praise. */
  function fanPost(at: Date): GeneratedDelivery {
    const fan = dice.pick(fans);
    const lines = fanLines[fanLang(fan.lang)];
    const complaint = [...posts].reverse().find((post) => moodOf[post.tone] === 'negative');
    const roll = dice.float();
    if (complaint && roll < 0.45) {
      const text = write(dice.pick(lines.defense), fan, platformOf(complaint.channelId), dice, null);
      const id = nextId();
      posts.push({ id, thread: complaint.thread, channelId: complaint.channelId, personaId: fan.id, lang: fan.lang, tone: 'praise' });
      return deliver(complaint.channelId, fan, 'praise', { id, kind: 'reply', thread: complaint.thread, parent: complaint.id, text }, at);
    }
    const channel = channelFor(fan);
    if (roll < 0.7) return deliver(channel.id, fan, 'praise', { id: nextId(), kind: 'share', parent: `acme-post-${dice.int(1, 40)}`, text: '' }, at);
    const id = nextId();
    const text = write(dice.pick(lines.praise), fan, channel.imitates, dice, null);
    posts.push({ id, thread: id, channelId: channel.id, personaId: fan.id, lang: fan.lang, tone: 'praise' });
    return deliver(channel.id, fan, 'praise', { id, kind: 'mention', thread: id, text }, at);
  }

  function next(at: Date): GeneratedDelivery {
    if (!storm && dice.float() < 1 / STORM_EVERY) storm = { tag: dice.pick(stormTags), remaining: dice.int(STORM_LENGTH.min, STORM_LENGTH.max) };
    if (storm && dice.float() < STORM_SHARE) {
      const delivery = stormMention(at, storm.tag);
      storm.remaining -= 1;
      if (storm.remaining <= 0) storm = null;
      return delivery;
    }
    if (dice.float() < FAN_SHARE) return fanPost(at);
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
