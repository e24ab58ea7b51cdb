import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { errorBodySchema, guardrailErrorBodySchema, hashtagKnowledgeResponseSchema, messageSchema, type HashtagKnowledge } from '@parley/common';
import type { ChannelDoc } from '../channels/channel.model';
import { SimulatorReply } from '../connectors/simulator/simulator.connector';
import { HashtagStat } from '../hashtags/hashtag-stat.model';
import { ingest } from '../ingest/ingest.service';
import { eventually } from '../test/eventually';
import { TEST_CREDENTIALS_KEY, TEST_PASSWORD, makeSimulatorChannel, makeTeam, makeUser } from '../test/factories';
import { httpServer, useParley } from '../test/harness';
import { Message } from '../tickets/message.model';
import type { Types } from 'mongoose';

const parley = useParley(['api', 'worker'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });
const http = () => request(httpServer(parley()));
const unique = () => randomBytes(4).toString('hex');
const HOUR = 3_600_000;

async function signedIn(fields: Parameters<typeof makeUser>[0] = {}) {
  const user = await makeUser(fields);
  const login = await http().post('/api/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(200);
  return { user, auth: { authorization: `Bearer ${(login.body as { token: string }).token}` } };
}

/** A channel of its own (hashtag knowledge is per channel), and an agent of its team. */
async function brand() {
  const team = await makeTeam();
  const channel = await makeSimulatorChannel({ teamId: team._id });
  const agent = await signedIn({ teamIds: [team._id] });
  return { channel, agent };
}

/** A customer's post on the channel, as a platform delivers it; answers the ticket it joined. */
async function customerPost(channel: ChannelDoc, text: string, fields: { handle?: string; name?: string; visibility?: 'public' | 'private'; sentAt?: Date } = {}): Promise<{ ticketId: Types.ObjectId; messageId: Types.ObjectId }> {
  const id = unique();
  const stored = await ingest(
    channel,
    {
      action: 'create',
      channelKind: 'simulator',
      externalId: `post-${id}`,
      visibility: fields.visibility ?? 'public',
      author: { externalId: `customer-${id}`, handle: fields.handle ?? `fan_${id}`, displayName: fields.name ?? `Fan ${id}` },
      text,
      attachments: [],
      sentAt: (fields.sentAt ?? new Date()).toISOString(),
      tags: [],
    },
    null,
    parley().ingestDeps,
  );
  if (stored.outcome !== 'stored') throw new Error(`the post was not stored: ${stored.outcome}`);
  return { ticketId: stored.ticketId, messageId: stored.messageId };
}

const knowledgeOf = async (channel: ChannelDoc, auth: Record<string, string>, tag: string): Promise<HashtagKnowledge> => {
  const response = await http().get(`/api/channels/${channel._id.toHexString()}/hashtags`).query({ tags: tag }).set(auth).expect(200);
  const [item] = hashtagKnowledgeResponseSchema.parse(response.body).items;
  if (!item) throw new Error('no knowledge answered');
  return item;
};

const reply = (ticketId: Types.ObjectId, auth: Record<string, string>, body: Record<string, unknown>) => http().post(`/api/tickets/${ticketId.toHexString()}/messages`).set(auth).send({ visibility: 'public', ...body });

const sent = (messageId: string) => eventually(() => Message.findById(messageId).lean(), (message) => message?.deliveryState === 'sent', `reply ${messageId} to be sent`);

describe('the hashtag second look on a public reply', () => {
  it('holds back a hashtag the brand never used with 422 naming it and the public posts that used it, and sends it once confirmed', async () => {
    const { channel, agent } = await brand();
    const { ticketId } = await customerPost(channel, 'Cannot believe the verdict #NotGuilty', { handle: 'kay', name: 'Kay Jay' });
    await eventually(() => knowledgeOf(channel, agent.auth, 'notguilty'), (known) => known.examples.length === 1, 'the post to be recorded');
    const before = await Message.countDocuments({ ticketId });

    const text = 'Our cakes are #NotGuilty pleasures 🍰';
    const held = await reply(ticketId, agent.auth, { text }).expect(422);
    const { error } = guardrailErrorBodySchema.parse(held.body);
    expect(error).toMatchObject({ code: 'guardrail', field: 'text' });
    expect(error.message).toContain('#NotGuilty');
    expect(error.findings).toEqual([
      expect.objectContaining({
        kind: 'hashtag',
        severity: 'warn',
        text: '#NotGuilty',
        start: text.indexOf('#NotGuilty'),
        end: text.indexOf('#NotGuilty') + '#NotGuilty'.length,
        confirmKey: 'hashtag:#notguilty',
        message: expect.stringMatching(/never used this hashtag/) as unknown,
        examples: [expect.objectContaining({ text: 'Cannot believe the verdict #NotGuilty', authorName: 'Kay Jay', authorHandle: 'kay', ticketId: ticketId.toHexString() })],
      }),
    ]);
    // Nothing stored, nothing sent.
    expect(await Message.countDocuments({ ticketId })).toBe(before);

    // Another key confirms nothing; the same key in another case does.
    await reply(ticketId, agent.auth, { text, confirm: ['hashtag:#guilty'] }).expect(422);
    const accepted = messageSchema.parse((await reply(ticketId, agent.auth, { text, confirm: ['hashtag:#NotGuilty'] }).expect(202)).body);
    await sent(accepted.id);
    expect((await SimulatorReply.find({ channelId: channel._id.toHexString() }).lean()).map((entry) => entry.text)).toEqual([text]);
    expect(await Message.findById(accepted.id).lean()).toMatchObject({ guardrailConfirmed: ['hashtag:#notguilty'] });
  });

  it('lets a hashtag the brand used in a sent reply go without a question, on that channel only', async () => {
    const { channel, agent } = await brand();
    const other = await brand();
    const { ticketId } = await customerPost(channel, 'Any deals this week?');
    const first = messageSchema.parse((await reply(ticketId, agent.auth, { text: 'Yes! #FreshFriday starts at 8', confirm: ['hashtag:#freshfriday'] }).expect(202)).body);
    await sent(first.id);
    const known = await eventually(() => knowledgeOf(channel, agent.auth, '#FreshFriday'), (knowledge) => knowledge.usedByBrand, 'the sent reply to count as the brand\'s use');
    expect(known).toMatchObject({ tag: 'freshfriday', brandUses: 1, recentPosts: 0 });

    await reply(ticketId, agent.auth, { text: 'See you at #freshfriday' }).expect(202);
    // Another channel of the brand has not used it.
    const { ticketId: elsewhere } = await customerPost(other.channel, 'Deals?');
    await reply(elsewhere, other.agent.auth, { text: 'See you at #freshfriday' }).expect(422);
    // Private messages and notes are no public statement: never held back for a hashtag.
    await reply(ticketId, agent.auth, { text: 'Psst #NeverSeen', visibility: 'note' }).expect(202);
  });

  it('counts a reply the brand wrote outside Parley, once its echo is stored, as the brand\'s use', async () => {
    const { channel, agent } = await brand();
    const post = await customerPost(channel, 'Loving the new menu');
    const parent = await Message.findById(post.messageId).lean();
    const echoed = await ingest(
      channel,
      {
        action: 'echo',
        channelKind: 'simulator',
        externalId: `brand-${unique()}`,
        externalParentId: parent?.externalId,
        visibility: 'public',
        author: { externalId: channel.externalAccountId },
        text: 'Thank you! #MenuLove',
        attachments: [],
        sentAt: new Date().toISOString(),
        tags: [],
      },
      null,
      parley().ingestDeps,
    );
    expect(echoed.outcome).toBe('stored');
    await eventually(() => knowledgeOf(channel, agent.auth, 'menulove'), (knowledge) => knowledge.usedByBrand, 'the echo to count');
    await reply(post.ticketId, agent.auth, { text: 'More #MenuLove soon' }).expect(202);
  });

  it('warns about a hashtag trending in recent inbound public posts, even one the brand used, with those posts newest first', async () => {
    const { channel, agent } = await brand();
    const { ticketId } = await customerPost(channel, 'Hello');
    const used = messageSchema.parse((await reply(ticketId, agent.auth, { text: 'Cheers #Verdict', confirm: ['hashtag:#verdict'] }).expect(202)).body);
    await sent(used.id);
    await eventually(() => knowledgeOf(channel, agent.auth, 'verdict'), (knowledge) => knowledge.usedByBrand, 'the brand\'s use');
    await reply(ticketId, agent.auth, { text: 'Another #verdict' }).expect(202);

    // A private message with the tag is never counted nor shown; a post from two days ago is an example, not recent.
    await customerPost(channel, 'my order number is 1234 #verdict', { visibility: 'private' });
    await customerPost(channel, 'Old news #Verdict', { sentAt: new Date(Date.now() - 48 * HOUR), handle: 'old' });
    const now = Date.now();
    for (const [index, handle] of ['ann', 'bo', 'cy'].entries()) {
      await customerPost(channel, `Shameful #VERDICT (${handle})`, { handle, sentAt: new Date(now - (3 - index) * 60_000) });
    }
    const known = await eventually(() => knowledgeOf(channel, agent.auth, 'verdict'), (knowledge) => knowledge.recentPosts === 3 && knowledge.examples.length === 4, 'three recent posts');
    expect(known.examples.map((example) => example.authorHandle)).toEqual(['cy', 'bo', 'ann', 'old']);
    expect(known.examples.some((example) => example.text.includes('order number'))).toBe(false);

    const held = await reply(ticketId, agent.auth, { text: 'We hear you #verdict' }).expect(422);
    const [finding] = guardrailErrorBodySchema.parse(held.body).error.findings;
    expect(finding).toMatchObject({ kind: 'hashtag', text: '#verdict', confirmKey: 'hashtag:#verdict' });
    expect(finding?.message).toMatch(/trending: it is in 3 public posts on this channel in the last 24 hours/);
    expect(finding?.examples?.slice(0, 3).map((example) => example.text)).toEqual(['Shameful #VERDICT (cy)', 'Shameful #VERDICT (bo)', 'Shameful #VERDICT (ann)']);
    await reply(ticketId, agent.auth, { text: 'We hear you #verdict', confirm: ['hashtag:#verdict'] }).expect(202);
  });

  it('counts posts ingested at once exactly, one document per channel and tag', async () => {
    const { channel, agent } = await brand();
    await Promise.all(Array.from({ length: 8 }, (_, index) => customerPost(channel, `#Storm number ${index}`)));
    const known = await eventually(() => knowledgeOf(channel, agent.auth, 'storm'), (knowledge) => knowledge.recentPosts >= 8, 'eight posts');
    expect(known.recentPosts).toBe(8);
    expect(known.examples).toHaveLength(5);
    expect(await HashtagStat.countDocuments({ channelId: channel._id })).toBe(1);
  });

  it('answers what a channel knows of the hashtags asked, and refuses bad questions', async () => {
    const { channel, agent } = await brand();
    const path = `/api/channels/${channel._id.toHexString()}/hashtags`;
    const answer = hashtagKnowledgeResponseSchema.parse((await http().get(path).query({ tags: '#Nothing,Else' }).set(agent.auth).expect(200)).body);
    expect(answer.items).toEqual([
      { tag: 'nothing', usedByBrand: false, brandUses: 0, brandLastUsedAt: null, recentPosts: 0, windowHours: 24, examples: [], storm: null },
      { tag: 'else', usedByBrand: false, brandUses: 0, brandLastUsedAt: null, recentPosts: 0, windowHours: 24, examples: [], storm: null },
    ]);
    expect(errorBodySchema.parse((await http().get(path).query({ tags: ',#' }).set(agent.auth).expect(400)).body).error.field).toBe('tags');
    expect(hashtagKnowledgeResponseSchema.parse((await http().get(path).set(agent.auth).expect(200)).body).items).toEqual([]);
    await http().get('/api/channels/000000000000000000000000/hashtags').query({ tags: 'x' }).set(agent.auth).expect(404);
    await http().get(path).query({ tags: 'x' }).expect(401);
  });
});
