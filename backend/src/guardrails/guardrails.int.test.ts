import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import request from 'supertest';
import { errorBodySchema, globalGuardrailsSchema, guardrailContextSchema, guardrailErrorBodySchema, messageSchema, type GuardrailSettingsInput } from '@parley/common';
import { Channel } from '../channels/channel.model';
import { forgetChannel } from '../channels/channels.service';
import { SimulatorReply } from '../connectors/simulator/simulator.connector';
import { ingest } from '../ingest/ingest.service';
import { enqueueOutbound } from '../outbound/outbound.queue';
import { eventually } from '../test/eventually';
import { TEST_CREDENTIALS_KEY, TEST_PASSWORD, makeSimulatorChannel, makeTeam, makeUser } from '../test/factories';
import { httpServer, useParley } from '../test/harness';
import { Message } from '../tickets/message.model';
import { GuardrailSettings } from './guardrail-settings.model';
import { forgetBrandGuardrails } from './guardrails.service';

const parley = useParley(['api', 'worker'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });
const http = () => request(httpServer(parley()));
const unique = () => randomBytes(4).toString('hex');

async function signedIn(fields: Parameters<typeof makeUser>[0] = {}) {
  const user = await makeUser(fields);
  const login = await http().post('/api/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(200);
  return { user, auth: { authorization: `Bearer ${(login.body as { token: string }).token}` } };
}

/** A simulator channel with these guardrails, a customer's public post on it, and an agent of its team. */
async function conversation(guardrails: GuardrailSettingsInput | undefined = undefined, language = 'en') {
  const team = await makeTeam();
  const channel = await makeSimulatorChannel({ teamId: team._id });
  if (guardrails) {
    await Channel.updateOne({ _id: channel._id }, { $set: { 'settings.guardrails': guardrails } });
    forgetChannel(channel._id);
  }
  const agent = await signedIn({ teamIds: [team._id] });
  const stored = await ingest(
    channel,
    {
      action: 'create',
      channelKind: 'simulator',
      externalId: `post-${unique()}`,
      visibility: 'public',
      author: { externalId: `kay-${unique()}`, handle: 'KayJay' },
      // In the language the test wants: triage reads the words, the platform's tag only breaks a tie.
      text: { en: 'Where is my parcel?', fr: 'Bonjour, où est mon colis ?', es: 'Hola, ¿dónde está mi paquete?' }[language] ?? 'Where is my parcel?',
      language,
      attachments: [],
      sentAt: new Date().toISOString(),
      tags: [],
    },
    null,
    parley().ingestDeps,
  );
  if (stored.outcome !== 'stored') throw new Error('setup failed');
  const ticketId = stored.ticketId.toHexString();
  return { channel, agent, ticketId, path: `/api/tickets/${ticketId}/messages` };
}

const sentTexts = async (channelId: Types.ObjectId) => (await SimulatorReply.find({ channelId: channelId.toHexString() }).lean()).map((reply) => reply.text);

afterEach(async () => {
  await GuardrailSettings.deleteMany({});
  forgetBrandGuardrails();
});

describe('guardrails on a public reply', () => {
  it('answers 422 with each finding and its span, stores nothing, and lets the same text go privately or as a note', async () => {
    const { agent, path, channel } = await conversation(undefined, 'fr');
    const text = 'Écrivez à zoe.martin@exemple.fr ou appelez le 06 12 34 56 78.';
    const refused = await http().post(path).set(agent.auth).send({ text, visibility: 'public' }).expect(422);
    const { error } = guardrailErrorBodySchema.parse(refused.body);
    expect(error).toMatchObject({ code: 'guardrail', field: 'text', message: expect.stringMatching(/personal data/) as unknown });
    expect(error.findings).toEqual([
      expect.objectContaining({ kind: 'email', severity: 'block', text: 'zoe.martin@exemple.fr', start: text.indexOf('zoe'), end: text.indexOf(' ou') }),
      expect.objectContaining({ kind: 'phone', severity: 'block', text: '06 12 34 56 78', start: text.indexOf('06'), end: text.length - 1 }),
    ]);
    expect(await Message.countDocuments({ channelId: channel._id, direction: 'outbound' })).toBe(0);

    // A confirm key cannot let personal data through.
    await http().post(path).set(agent.auth).send({ text, visibility: 'public', confirm: ['email:zoe.martin@exemple.fr'] }).expect(422);
    await http().post(path).set(agent.auth).send({ text, visibility: 'private' }).expect(202);
    await http().post(path).set(agent.auth).send({ text, visibility: 'note' }).expect(202);
    const clean = messageSchema.parse((await http().post(path).set(agent.auth).send({ text: 'So sorry! We sent you a private message.', visibility: 'public' }).expect(202)).body);
    await eventually(() => Message.findById(clean.id).lean(), (message) => message?.deliveryState === 'sent');
    expect(await sentTexts(channel._id)).toEqual(expect.arrayContaining(['So sorry! We sent you a private message.', text]));
  });

  it('needs every warning confirmed by its key; a confirmed reply is stored with its keys and delivered', async () => {
    const { agent, path, channel } = await conversation({
      blocklist: [{ phrase: 'compensation', action: 'warn' }],
      allowedLinkDomains: ['acme.com'],
    });
    const text = 'Hi @KayJay, about compensation: @AcmeHelp will reply, see https://bit.ly/acme';
    const first = guardrailErrorBodySchema.parse((await http().post(path).set(agent.auth).send({ text, visibility: 'public' }).expect(422)).body).error;
    expect(first.message).toMatch(/second look/);
    expect(first.findings.map((finding) => [finding.kind, finding.severity, finding.confirmKey])).toEqual([
      ['blocklist', 'warn', 'blocklist:compensation'],
      ['mention', 'warn', 'mention:@acmehelp'],
      ['link', 'warn', 'link:bit.ly'],
    ]);

    const partly = guardrailErrorBodySchema.parse((await http().post(path).set(agent.auth).send({ text, visibility: 'public', confirm: ['blocklist:compensation', 'hashtag:#other'] }).expect(422)).body).error;
    expect(partly.findings.map((finding) => finding.kind)).toEqual(['mention', 'link']);

    const confirm = ['blocklist:compensation', 'mention:@acmehelp', 'link:bit.ly', 'hashtag:#unrelated'];
    const accepted = messageSchema.parse((await http().post(path).set(agent.auth).send({ text, visibility: 'public', confirm }).expect(202)).body);
    expect((await Message.findById(accepted.id).lean())?.guardrailConfirmed).toEqual(['blocklist:compensation', 'mention:@acmehelp', 'link:bit.ly']);
    await eventually(() => Message.findById(accepted.id).lean(), (message) => message?.deliveryState === 'sent');
    expect(await sentTexts(channel._id)).toEqual([text]);

    await http().post(path).set(agent.auth).send({ text, visibility: 'public', confirm: 'all' }).expect(400);
  });

  it("applies the brand's blocklist and references on every channel, the channel's on its own", async () => {
    const admin = await signedIn({ role: 'admin' });
    await http()
      .put('/api/guardrails')
      .set(admin.auth)
      .send({ settings: { blocklist: [{ phrase: 'Lawsuit', action: 'block' }], referencePatterns: ['\\bORD-\\d{6}\\b'] } })
      .expect(200);
    const one = await conversation({ blocklist: [{ phrase: 'refund', action: 'block' }] }, 'es');
    const other = await conversation(undefined, 'es');
    const blocked = guardrailErrorBodySchema.parse((await http().post(one.path).set(one.agent.auth).send({ text: 'No hace falta una LAWSUIT: el refund del pedido ord-123456 está hecho.', visibility: 'public' }).expect(422)).body);
    expect(blocked.error.findings.map((finding) => `${finding.kind}:${finding.text}`)).toEqual(['blocklist:LAWSUIT', 'blocklist:refund', 'reference:ord-123456']);
    await http().post(other.path).set(other.agent.auth).send({ text: 'Tu refund está en camino.', visibility: 'public' }).expect(202);
    await http().post(other.path).set(other.agent.auth).send({ text: 'Tu pedido ORD-654321 está en camino.', visibility: 'public' }).expect(422);
  });

  it('gives the composer the context the server checks with: merged settings, the account answered, the language', async () => {
    const admin = await signedIn({ role: 'admin' });
    await http().put('/api/guardrails').set(admin.auth).send({ settings: { blocklist: [{ phrase: 'lawsuit', action: 'warn' }], mentions: 'block' } }).expect(200);
    const { agent, ticketId } = await conversation({ blocklist: [{ phrase: 'lawsuit', action: 'block' }], allowedLinkDomains: ['https://www.Acme.com/'] }, 'fr');
    const context = guardrailContextSchema.parse((await http().get(`/api/tickets/${ticketId}/guardrails`).set(agent.auth).expect(200)).body);
    expect(context).toEqual({
      settings: { referencePatterns: [], blocklist: [{ phrase: 'lawsuit', action: 'block' }], mentions: 'block', allowedMentions: [], allowedLinkDomains: ['acme.com'], links: 'warn' },
      answeredHandles: ['kayjay'],
      language: 'fr',
    });
    const stranger = await signedIn({ teamIds: [(await makeTeam())._id] });
    await http().get(`/api/tickets/${ticketId}/guardrails`).set(stranger.auth).expect(403);
  });
});

describe('guardrail settings', () => {
  it('validates patterns when a channel is saved, naming the pattern that is wrong', async () => {
    const admin = await signedIn({ role: 'admin' });
    const base = { kind: 'simulator', name: `Sim ${unique()}`, credentials: { secret: `secret-${unique()}-${unique()}` } };
    const invalid = await http()
      .post('/api/channels')
      .set(admin.auth)
      .send({ ...base, settings: { guardrails: { referencePatterns: ['ORD-\\d{6}', '[A-Z'] } } })
      .expect(400);
    expect(errorBodySchema.parse(invalid.body).error).toMatchObject({ field: 'settings.guardrails.referencePatterns.1', message: expect.stringMatching(/not a valid regular expression/) as unknown });

    const created = await http()
      .post('/api/channels')
      .set(admin.auth)
      .send({ ...base, settings: { imitates: 'x', guardrails: { referencePatterns: ['ORD-\\d{6}'], mentions: 'block' } } })
      .expect(201);
    const path = `/api/channels/${(created.body as { id: string }).id}`;
    const catastrophic = await http().patch(path).set(admin.auth).send({ settings: { imitates: 'x', guardrails: { referencePatterns: ['(a+)+$'] } } }).expect(400);
    expect(errorBodySchema.parse(catastrophic.body).error).toMatchObject({ field: 'settings.guardrails.referencePatterns.0', message: expect.stringMatching(/repeats a repeat/) as unknown });
    for (const [guardrails, field] of [
      [{ blocklist: [{ phrase: ' ', action: 'block' }] }, 'settings.guardrails.blocklist.0.phrase'],
      [{ blocklist: [{ phrase: 'x', action: 'shout' }] }, 'settings.guardrails.blocklist.0.action'],
      [{ mentions: 'sometimes' }, 'settings.guardrails.mentions'],
      [{ allowedLinkDomains: ['not a domain'] }, 'settings.guardrails.allowedLinkDomains.0'],
      [{ links: 'allow' }, 'settings.guardrails.links'],
      [{ colour: 'red' }, 'settings.guardrails.colour'],
    ] as const) {
      expect(errorBodySchema.parse((await http().patch(path).set(admin.auth).send({ settings: { guardrails } }).expect(400)).body).error.field).toBe(field);
    }
    const patched = await http().patch(path).set(admin.auth).send({ settings: { imitates: 'x', guardrails: { blocklist: [{ phrase: 'free' }], allowedLinkDomains: ['HTTPS://Acme.com/help'] } } }).expect(200);
    expect(patched.body).toMatchObject({ settings: { imitates: 'x', guardrails: { referencePatterns: [], blocklist: [{ phrase: 'free', action: 'block' }], allowedLinkDomains: ['acme.com'] } } });
  });

  it("keeps the brand's guardrails: everyone reads them, only admins change them, an invalid pattern is a 400 naming it", async () => {
    const admin = await signedIn({ role: 'admin' });
    const agent = await signedIn();
    expect(globalGuardrailsSchema.parse((await http().get('/api/guardrails').set(agent.auth).expect(200)).body)).toEqual({
      settings: { referencePatterns: [], blocklist: [], allowedMentions: [], allowedLinkDomains: [] },
      updatedAt: null,
      updatedBy: null,
    });
    const invalid = await http().put('/api/guardrails').set(admin.auth).send({ settings: { referencePatterns: ['BK\\d{6}', '\\d+\\d+'] } }).expect(400);
    expect(errorBodySchema.parse(invalid.body).error.field).toBe('settings.referencePatterns.1');
    await http().put('/api/guardrails').set(agent.auth).send({ settings: {} }).expect(403);
    await http().put('/api/guardrails').set((await signedIn({ role: 'supervisor' })).auth).send({ settings: {} }).expect(403);
    await http().get('/api/guardrails').expect(401);

    const saved = globalGuardrailsSchema.parse(
      (await http().put('/api/guardrails').set(admin.auth).send({ settings: { blocklist: [{ phrase: 'cheap', action: 'warn' }], links: 'block', allowedMentions: ['@AcmeHelp'] } }).expect(200)).body,
    );
    expect(saved).toMatchObject({ settings: { blocklist: [{ phrase: 'cheap', action: 'warn' }], links: 'block', allowedMentions: ['acmehelp'] }, updatedBy: admin.user.name });
    const replaced = globalGuardrailsSchema.parse((await http().put('/api/guardrails').set(admin.auth).send({ settings: { referencePatterns: ['BK\\d{6}'] } }).expect(200)).body);
    expect(replaced.settings).toEqual({ referencePatterns: ['BK\\d{6}'], blocklist: [], allowedMentions: [], allowedLinkDomains: [] });
    expect(globalGuardrailsSchema.parse((await http().get('/api/guardrails').set(agent.auth).expect(200)).body)).toEqual(replaced);
  });
});

describe('guardrails in the outbound path', () => {
  it('fails a public message created without postMessage (a bot, a rule) that a guardrail holds back, and never sends it', async () => {
    const { channel, ticketId } = await conversation({ blocklist: [{ phrase: 'guaranteed', action: 'warn' }] });
    const ticket = new Types.ObjectId(ticketId);
    const parent = await Message.findOne({ ticketId: ticket, direction: 'inbound' }).lean();
    const write = async (text: string, fields: Record<string, unknown> = {}) => {
      const _id = new Types.ObjectId();
      await Message.create({
        _id,
        ticketId: ticket,
        channelId: channel._id,
        direction: 'outbound',
        visibility: 'public',
        text,
        authorUserId: null,
        externalId: `parley:${_id.toHexString()}`,
        externalParentId: parent?.externalId ?? null,
        externalThreadId: parent?.externalThreadId ?? null,
        deliveryState: 'queued',
        sentAt: new Date(),
        ...fields,
      });
      await enqueueOutbound(parley().queues, _id);
      return eventually(() => Message.findById(_id).lean(), (message) => message?.deliveryState === 'sent' || message?.deliveryState === 'failed');
    };

    const personal = await write('Your card 4111 1111 1111 1111 was refunded.');
    expect(personal).toMatchObject({ deliveryState: 'failed', failureReason: expect.stringMatching(/^Not sent: .*personal data.*A card number does not belong in a public reply: move to private \("4111 1111 1111 1111"\)/) as unknown });
    const unconfirmed = await write('A refund is guaranteed.');
    expect(unconfirmed).toMatchObject({ deliveryState: 'failed', failureReason: expect.stringMatching(/second look.*"guaranteed" is on the brand's watch list/) as unknown });
    const confirmed = await write('A refund is guaranteed!', { guardrailConfirmed: ['blocklist:guaranteed'] });
    expect(confirmed?.deliveryState).toBe('sent');
    const privately = await write('Your card 4111 1111 1111 1111 was refunded.', { visibility: 'private', externalParentId: null });
    expect(privately?.deliveryState).toBe('sent');
    expect(await sentTexts(channel._id)).toEqual(['A refund is guaranteed!', 'Your card 4111 1111 1111 1111 was refunded.']);
  });

  it('holds back a queued reply whose text became blocked after it was accepted (settings changed before sending)', async () => {
    const { channel, agent, path } = await conversation();
    await parley().queues.queue('outbound').pause();
    try {
      const reply = messageSchema.parse((await http().post(path).set(agent.auth).send({ text: 'Our new promo code is FREESHIP.', visibility: 'public' }).expect(202)).body);
      await Channel.updateOne({ _id: channel._id }, { $set: { 'settings.guardrails': { blocklist: [{ phrase: 'promo code', action: 'block' }] } } });
      forgetChannel(channel._id);
      await parley().queues.queue('outbound').resume();
      const failed = await eventually(() => Message.findById(reply.id).lean(), (message) => message?.deliveryState === 'failed');
      expect(failed?.failureReason).toMatch(/"promo code" is on the brand's blocklist/);
    } finally {
      await parley().queues.queue('outbound').resume();
    }
    expect(await sentTexts(channel._id)).toEqual([]);
  });
});
