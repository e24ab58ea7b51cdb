import { simulatorDeliverySchema } from '@parley/common';
import { createTraffic, type GeneratedDelivery, type TrafficChannel } from './traffic';

const channels: TrafficChannel[] = [
  { id: 'chan-x', imitates: 'x' },
  { id: 'chan-facebook', imitates: 'facebook' },
  { id: 'chan-instagram', imitates: 'instagram' },
];

const start = Date.UTC(2026, 10, 28, 9, 0, 0);

function stream(seed: string, count: number): GeneratedDelivery[] {
  const traffic = createTraffic({ seed, channels });
  return Array.from({ length: count }, (_, index) => traffic.next(new Date(start + index * 7_000)));
}

describe('simulated traffic', () => {
  const events = stream('demo', 500);

  it('writes only deliveries the simulator webhook accepts, to the channels it was given', () => {
    for (const delivery of events) {
      expect(simulatorDeliverySchema.safeParse({ events: [delivery.event] }).error).toBeUndefined();
      expect(channels.map((channel) => channel.id)).toContain(delivery.channelId);
      // A share is a repost: it has no words of its own.
      if (delivery.event.kind === 'share') expect(delivery.event).toMatchObject({ text: '', parent: expect.stringMatching(/^acme-post-/) as string });
      else expect(delivery.event.text.trim().length).toBeGreaterThan(0);
      expect(delivery.event.text).not.toMatch(/[{}]|lorem|undefined/i);
      if (delivery.channelId === 'chan-x') expect([...delivery.event.text].length).toBeLessThanOrEqual(280);
    }
    expect(new Set(events.map((delivery) => delivery.event.id)).size).toBe(events.length);
  });

  it('mixes kinds, languages, tones, channels and high-reach authors', () => {
    const share = (match: (delivery: GeneratedDelivery) => boolean) => events.filter(match).length / events.length;
    for (const kind of ['mention', 'reply', 'dm'] as const) expect(share((delivery) => delivery.event.kind === kind)).toBeGreaterThan(0.1);
    for (const lang of ['en', 'es', 'fr']) expect(share((delivery) => delivery.event.lang === lang)).toBeGreaterThan(0.08);
    expect(share((delivery) => delivery.event.lang === 'en')).toBeGreaterThan(0.35);
    for (const tone of ['angry', 'happy', 'order_status', 'product_question', 'praise'] as const) expect(share((delivery) => delivery.tone === tone)).toBeGreaterThan(0.04);
    for (const channel of channels) expect(share((delivery) => delivery.channelId === channel.id)).toBeGreaterThan(0.15);

    const rightToLeft = events.filter((delivery) => /[\u0590-\u05FF\u0600-\u06FF]/.test(delivery.event.text));
    expect(rightToLeft.length).toBeGreaterThan(0);
    expect(rightToLeft.length / events.length).toBeLessThan(0.15);
    expect(new Set(rightToLeft.map((delivery) => delivery.event.lang))).toEqual(new Set(['ar', 'he']));

    const influential = events.filter((delivery) => (delivery.event.author.followers ?? 0) >= 100_000);
    expect(influential.length).toBeGreaterThan(0);
    for (const delivery of influential) {
      expect(delivery.event.author).toMatchObject({ verified: true });
      expect(delivery.event.author.followers).toBeLessThanOrEqual(25_000_000);
    }
    expect(events.some((delivery) => /#[A-Z]\d{4}/.test(delivery.event.text))).toBe(true);
    expect(events.some((delivery) => /\p{Extended_Pictographic}/u.test(delivery.event.text))).toBe(true);
  });

  it('now and then whips up a storm around a hashtag, and has a few loyal fans', () => {
    const long = stream('storms', 3_000);
    // A storm: a run of angry public mentions carrying one of the storm hashtags, close together.
    const stormy = long.map((delivery) => /#(AcmeDown|AcmeOutage|FixItAcme)\b/.exec(delivery.event.text)?.[1] ?? null);
    const runs = stormy.reduce<number[]>((starts, tag, index) => (tag && !stormy.slice(Math.max(0, index - 10), index).some(Boolean) ? [...starts, index] : starts), []);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.length).toBeLessThan(30);
    for (const start of runs) {
      const storm = long.slice(start, start + 30).filter((_, index) => stormy[start + index]);
      expect(storm.length).toBeGreaterThanOrEqual(12);
      expect(storm.every((delivery) => delivery.event.kind === 'mention' && delivery.tone === 'angry')).toBe(true);
    }
    const byFans = long.filter((delivery) => delivery.personaId.startsWith('simfan-'));
    expect(new Set(byFans.map((delivery) => delivery.personaId)).size).toBe(3);
    expect(byFans.some((delivery) => delivery.event.kind === 'share')).toBe(true);
    expect(byFans.some((delivery) => delivery.event.kind === 'reply' && delivery.tone === 'praise')).toBe(true);
    // The celebrities' posts carry what the platform counted on them.
    expect(long.some((delivery) => delivery.event.author.verified && (delivery.event.engagement?.likes ?? 0) > 100)).toBe(true);
  });

  it('gives a customer one stable profile, and brings customers back', () => {
    const profiles = new Map<string, string>();
    const seen = new Map<string, number>();
    for (const { event } of events) {
      const profile = JSON.stringify(event.author);
      expect(profiles.get(event.author.id) ?? profile).toBe(profile);
      profiles.set(event.author.id, profile);
      seen.set(event.author.id, (seen.get(event.author.id) ?? 0) + 1);
    }
    expect([...seen.values()].filter((count) => count > 1).length).toBeGreaterThan(10);
    for (const { event } of events) expect([event.author.handle, event.author.name, event.author.avatar].every((field) => typeof field === 'string' && field.length > 0)).toBe(true);
  });

  it('replies inside threads that were posted earlier, on the same channel, and continues DMs', () => {
    const posted = new Map<string, GeneratedDelivery>();
    const replies = events.filter((delivery) => delivery.event.kind === 'reply');
    for (const delivery of events) {
      const { event } = delivery;
      if (event.kind === 'reply') {
        const parent = posted.get(event.parent ?? '');
        expect(parent).toBeDefined();
        expect(parent?.channelId).toBe(delivery.channelId);
        expect(event.thread).toBe(parent?.event.thread);
        expect(posted.get(event.thread ?? '')?.event.kind).toBe('mention');
      }
      if (event.kind === 'dm') expect(event.thread).toBe(`dm:${event.author.id}`);
      posted.set(event.id, delivery);
    }
    expect(replies.some((reply) => posted.get(reply.event.parent ?? '')?.event.kind === 'reply')).toBe(true);
    expect(replies.some((reply) => posted.get(reply.event.thread ?? '')?.event.author.id === reply.event.author.id)).toBe(true);

    const dmsByAuthor = new Map<string, Set<string>>();
    for (const { event, channelId } of events.filter((delivery) => delivery.event.kind === 'dm')) {
      dmsByAuthor.set(event.author.id, (dmsByAuthor.get(event.author.id) ?? new Set()).add(channelId));
    }
    // A conversation continues where it started.
    for (const used of dmsByAuthor.values()) expect(used.size).toBe(1);
    expect(events.filter((delivery) => delivery.event.kind === 'dm').length).toBeGreaterThan(dmsByAuthor.size);
  });

  it('is the same stream for the same seed, and another for another seed', () => {
    expect(stream('demo', 500)).toEqual(events);
    const other = stream('benchmark', 500);
    expect(other.map((delivery) => delivery.event.text)).not.toEqual(events.map((delivery) => delivery.event.text));
    const ids = new Set(events.map((delivery) => delivery.event.id));
    expect(other.filter((delivery) => ids.has(delivery.event.id))).toEqual([]);
  });

  it('spreads a backlog of conversations over the hours before now, oldest first', () => {
    const now = new Date(start);
    const backlog = createTraffic({ seed: 'backlog', channels }).backlog(25, now);
    const times = backlog.map((delivery) => Date.parse(delivery.event.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(start - 3 * 3_600_000);
    expect(Math.max(...times)).toBeLessThanOrEqual(start);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(3_600_000);
    expect(new Set(backlog.map((delivery) => delivery.event.thread)).size).toBe(25);
  });

  it('answers an agent in the same conversation, in the customer\'s language, the same way every time', () => {
    const traffic = createTraffic({ seed: 'answers', channels, answerProbability: 1 });
    const author = { id: 'simcust-019', handle: 'lucia.fdez', name: 'Lucía Fernández' };
    const at = new Date(start);
    const publicAnswer = traffic.answer({ replyId: 'sim-out-1', channelId: 'chan-instagram', visibility: 'public', author, lang: 'es', thread: 'root-1' }, at);
    expect(publicAnswer?.event).toMatchObject({ id: 'sim-out-1-answer', kind: 'reply', thread: 'root-1', parent: 'sim-out-1', lang: 'es', author });
    expect(publicAnswer?.channelId).toBe('chan-instagram');
    expect(traffic.answer({ replyId: 'sim-out-1', channelId: 'chan-instagram', visibility: 'public', author, lang: 'es', thread: 'root-1' }, at)).toEqual(publicAnswer);

    const privateAnswer = traffic.answer({ replyId: 'sim-out-2', channelId: 'chan-x', visibility: 'private', author, lang: 'es' }, at);
    expect(privateAnswer?.event).toMatchObject({ kind: 'dm', thread: 'dm:simcust-019', lang: 'es' });
    expect(simulatorDeliverySchema.safeParse({ events: [publicAnswer?.event, privateAnswer?.event] }).success).toBe(true);

    const sometimes = createTraffic({ seed: 'answers', channels, answerProbability: 0.5 });
    const answered = Array.from({ length: 200 }, (_, index) =>
      sometimes.answer({ replyId: `sim-out-${index}`, channelId: 'chan-x', visibility: 'private', author, lang: 'es' }, at),
    ).filter(Boolean).length;
    expect(answered).toBeGreaterThan(60);
    expect(answered).toBeLessThan(140);
    expect(createTraffic({ seed: 'answers', channels, answerProbability: 0 }).answer({ replyId: 'sim-out-1', channelId: 'chan-x', visibility: 'private', author, lang: 'es' }, at)).toBeNull();
  });
});
