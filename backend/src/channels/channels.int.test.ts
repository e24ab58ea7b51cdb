import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { channelSchema, errorBodySchema, SIGNATURE_HEADER, type Channel as ChannelShape } from '@parley/common';
import { loadConfig } from '../config';
import { hmacSha256 } from '../connectors/signature';
import { startWebhookReceiver, type WebhookReceiver } from '../test/fakes/webhook-receiver';
import { TEST_CREDENTIALS_KEY, TEST_PASSWORD, makeTeam, makeUser } from '../test/factories';
import { httpServer, useParley } from '../test/harness';
import { Message } from '../tickets/message.model';
import { Channel } from './channel.model';
import { rotateCredentialsKey } from './credentials-rotation';
import { decryptCredentials } from './credentials';

const parley = useParley(['api', 'worker'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });
const http = () => request(httpServer(parley()));
const receivers: WebhookReceiver[] = [];
afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
});

const unique = () => randomBytes(4).toString('hex');
/** Every secret handed to the API in this file: none may ever come back. */
const secretsGiven: string[] = [];
const newSecret = () => {
  const secret = `top-secret-${unique()}-${unique()}`;
  secretsGiven.push(secret);
  return secret;
};

async function signedIn(fields: Parameters<typeof makeUser>[0] = {}) {
  const user = await makeUser(fields);
  const login = await http().post('/api/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(200);
  return { user, auth: { authorization: `Bearer ${(login.body as { token: string }).token}` } };
}

function expectNoSecrets(body: unknown) {
  const text = JSON.stringify(body);
  for (const secret of secretsGiven) expect(text).not.toContain(secret);
  expect(text).not.toMatch(/credentials/i);
}

async function webhookChannel(admin: { auth: Record<string, string> }, fields: Record<string, unknown> = {}) {
  const secret = newSecret();
  const receiver = await startWebhookReceiver(secret);
  receivers.push(receiver);
  const response = await http()
    .post('/api/channels')
    .set(admin.auth)
    .send({ kind: 'webhook', name: `Web chat ${unique()}`, credentials: { secret }, settings: { callbackUrl: receiver.url }, ...fields })
    .expect(201);
  expectNoSecrets(response.body);
  return { channel: channelSchema.parse(response.body), secret, receiver };
}

function fieldOf(response: request.Response): string | undefined {
  return errorBodySchema.parse(response.body).error.field;
}

describe('channels admin API', () => {
  it('connects a webhook channel, lists and shows it to every signed-in user, never with its credentials', async () => {
    const admin = await signedIn({ role: 'admin' });
    const agent = await signedIn();
    const { channel } = await webhookChannel(admin);
    expect(channel).toMatchObject({ kind: 'webhook', status: 'active', statusReason: null });
    expect(channel.externalAccountId).toMatch(/^webhook-/);
    expect(channel.webhookUrl).toMatch(new RegExp(`/webhooks/webhook/${channel.id}$`));

    const x = await http()
      .post('/api/channels')
      .set(admin.auth)
      .send({
        kind: 'x',
        name: 'Acme on X',
        externalAccountId: `${Date.now()}`,
        credentials: { consumerKey: newSecret(), consumerSecret: newSecret(), accessToken: newSecret(), accessTokenSecret: newSecret() },
      })
      .expect(201);
    expectNoSecrets(x.body);

    const list = await http().get('/api/channels').set(agent.auth).expect(200);
    expectNoSecrets(list.body);
    const ids = (list.body as { items: ChannelShape[] }).items.map((item) => channelSchema.parse(item).id);
    expect(ids).toEqual(expect.arrayContaining([channel.id, (x.body as { id: string }).id]));
    const one = await http().get(`/api/channels/${channel.id}`).set(agent.auth).expect(200);
    expect(channelSchema.parse(one.body)).toEqual(channel);
    await http().get('/api/channels/000000000000000000000000').set(agent.auth).expect(404);
    await http().get('/api/channels').expect(401);
  });

  it('stores credentials encrypted: the document holds no plaintext secret', async () => {
    const admin = await signedIn({ role: 'admin' });
    const { channel, secret } = await webhookChannel(admin);
    const stored = await Channel.collection.findOne({ _id: (await Channel.findById(channel.id).lean())!._id });
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(stored?.credentialsEncrypted).toMatch(/^v1\./);
    expect(decryptCredentials(stored?.credentialsEncrypted as string, TEST_CREDENTIALS_KEY)).toEqual({ secret });
  });

  it('answers 400 naming the field, 409 for an account connected twice, 403 to agents and supervisors', async () => {
    const admin = await signedIn({ role: 'admin' });
    const base = { kind: 'webhook', name: 'Chat', credentials: { secret: newSecret() }, settings: { callbackUrl: 'https://example.test/hook' } };

    expect(fieldOf(await http().post('/api/channels').set(admin.auth).send({ ...base, credentials: {} }).expect(400))).toBe('credentials.secret');
    expect(fieldOf(await http().post('/api/channels').set(admin.auth).send({ ...base, settings: { callbackUrl: 'not a url' } }).expect(400))).toBe('settings.callbackUrl');
    expect(fieldOf(await http().post('/api/channels').set(admin.auth).send({ ...base, colour: 'red' }).expect(400))).toBe('colour');
    expect(fieldOf(await http().post('/api/channels').set(admin.auth).send({ ...base, settings: { callbackUrl: 'https://example.test/hook', extra: 1 } }).expect(400))).toBe('settings.extra');
    expect(fieldOf(await http().post('/api/channels').set(admin.auth).send({ ...base, kind: 'myspace' }).expect(400))).toBe('kind');
    expect(fieldOf(await http().post('/api/channels').set(admin.auth).send({ ...base, kind: 'x', externalAccountId: 'acme', credentials: {} }).expect(400))).toBe('externalAccountId');
    expect(fieldOf(await http().post('/api/channels').set(admin.auth).send({ ...base, teamId: '000000000000000000000000' }).expect(400))).toBe('teamId');

    const accountId = `chat-${unique()}`;
    await http().post('/api/channels').set(admin.auth).send({ ...base, externalAccountId: accountId }).expect(201);
    const conflict = await http().post('/api/channels').set(admin.auth).send({ ...base, externalAccountId: accountId }).expect(409);
    expect(fieldOf(conflict)).toBe('externalAccountId');

    const { channel } = await webhookChannel(admin);
    for (const role of ['agent', 'supervisor'] as const) {
      const user = await signedIn({ role });
      await http().post('/api/channels').set(user.auth).send(base).expect(403);
      await http().patch(`/api/channels/${channel.id}`).set(user.auth).send({ name: 'Mine now' }).expect(403);
      await http().delete(`/api/channels/${channel.id}`).set(user.auth).expect(403);
      await http().post(`/api/channels/${channel.id}/test`).set(user.auth).expect(403);
    }
    expect(await Channel.countDocuments({ _id: channel.id, name: 'Mine now' })).toBe(0);
  });

  it('changes name, status, team, settings and credentials (replaced whole, checked for the kind)', async () => {
    const admin = await signedIn({ role: 'admin' });
    const team = await makeTeam();
    const { channel } = await webhookChannel(admin);
    const path = `/api/channels/${channel.id}`;

    const renamed = await http().patch(path).set(admin.auth).send({ name: 'Help widget', status: 'disabled', teamId: team._id.toHexString() }).expect(200);
    expect(renamed.body).toMatchObject({ name: 'Help widget', status: 'disabled', teamId: team._id.toHexString() });

    expect(fieldOf(await http().patch(path).set(admin.auth).send({ credentials: { secret: 'short' } }).expect(400))).toBe('credentials.secret');
    expect(fieldOf(await http().patch(path).set(admin.auth).send({ credentials: { secret: newSecret(), token: newSecret() } }).expect(400))).toBe('credentials.token');
    expect(fieldOf(await http().patch(path).set(admin.auth).send({ settings: { callbackUrl: 'ftp://nope' } }).expect(400))).toBe('settings.callbackUrl');
    expect(fieldOf(await http().patch(path).set(admin.auth).send({ status: 'needs_reauth' }).expect(400))).toBe('status');
    expect(fieldOf(await http().patch(path).set(admin.auth).send({ kind: 'x' }).expect(400))).toBe('kind');

    const secret = newSecret();
    const changed = await http().patch(path).set(admin.auth).send({ status: 'active', credentials: { secret }, settings: { callbackUrl: 'https://example.test/new' } }).expect(200);
    expectNoSecrets(changed.body);
    expect(changed.body).toMatchObject({ status: 'active', settings: { callbackUrl: 'https://example.test/new' } });
    const stored = await Channel.findById(channel.id).lean();
    expect(decryptCredentials(stored?.credentialsEncrypted, TEST_CREDENTIALS_KEY)).toEqual({ secret });
  });

  it('tests the connection: ok from a receiver that answers, the reason from one that refuses, never a 500', async () => {
    const admin = await signedIn({ role: 'admin' });
    const { channel, receiver } = await webhookChannel(admin);
    const ok = await http().post(`/api/channels/${channel.id}/test`).set(admin.auth).expect(200);
    expect(ok.body).toMatchObject({ ok: true });
    expect(receiver.requests.at(-1)?.body).toMatchObject({ type: 'ping' });
    expect(receiver.requests.at(-1)?.signatureValid).toBe(true);

    receiver.answerNext({ status: 401 });
    const refused = await http().post(`/api/channels/${channel.id}/test`).set(admin.auth).expect(200);
    expect(refused.body).toMatchObject({ ok: false, error: expect.stringMatching(/401/) as unknown });

    await receiver.close();
    const unreachable = await http().post(`/api/channels/${channel.id}/test`).set(admin.auth).expect(200);
    expect(unreachable.body).toMatchObject({ ok: false });
  });

  it('deletes a channel without conversations; hides and disables one with conversations, keeping its messages', async () => {
    const admin = await signedIn({ role: 'admin' });
    const empty = (await webhookChannel(admin)).channel;
    await http().delete(`/api/channels/${empty.id}`).set(admin.auth).expect(204);
    expect(await Channel.countDocuments({ _id: empty.id })).toBe(0);

    const { channel, secret } = await webhookChannel(admin);
    const body = JSON.stringify({ events: [{ type: 'message', id: `m-${unique()}`, author: { id: 'visitor-1' }, text: 'Hello?', sentAt: new Date().toISOString() }] });
    await http()
      .post(`/webhooks/webhook/${channel.id}`)
      .set('content-type', 'application/json')
      .set(SIGNATURE_HEADER, `sha256=${hmacSha256(secret, body, 'hex')}`)
      .send(body)
      .expect(200);
    const deadline = Date.now() + 15_000;
    while ((await Message.countDocuments({ channelId: channel.id })) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));

    await http().delete(`/api/channels/${channel.id}`).set(admin.auth).expect(204);
    expect(await Channel.findById(channel.id).lean()).toMatchObject({ status: 'disabled', deletedAt: expect.any(Date) as unknown });
    expect(await Message.countDocuments({ channelId: channel.id })).toBe(1);
    await http().get(`/api/channels/${channel.id}`).set(admin.auth).expect(404);
    const list = await http().get('/api/channels').set(admin.auth).expect(200);
    expect((list.body as { items: ChannelShape[] }).items.map((item) => item.id)).not.toContain(channel.id);
    await http().delete(`/api/channels/${channel.id}`).set(admin.auth).expect(404);

    // Connecting the same account again brings the channel, and its conversations, back.
    const again = await http()
      .post('/api/channels')
      .set(admin.auth)
      .send({ kind: 'webhook', name: 'Chat again', externalAccountId: channel.externalAccountId, credentials: { secret: newSecret() }, settings: { callbackUrl: 'https://example.test/hook' } })
      .expect(201);
    expect(channelSchema.parse(again.body)).toMatchObject({ id: channel.id, name: 'Chat again', status: 'active' });
    await http().get(`/api/channels/${channel.id}`).set(admin.auth).expect(200);
  });
});

// Last: it re-encrypts every channel of this file with a new key.
describe('credentials key rotation', () => {
  it('reads with CREDENTIALS_KEY_PREVIOUS and re-encrypts every channel with the new key', async () => {
    const admin = await signedIn({ role: 'admin' });
    const { channel, secret } = await webhookChannel(admin);
    const newKey = randomBytes(32).toString('base64');
    const config = loadConfig({ ...process.env, CREDENTIALS_KEY: newKey, CREDENTIALS_KEY_PREVIOUS: TEST_CREDENTIALS_KEY });
    const before = (await Channel.findById(channel.id).lean())!.credentialsEncrypted;
    expect(decryptCredentials(before, config.CREDENTIALS_KEY)).toEqual({ secret });

    const { channels, rotated } = await rotateCredentialsKey(config.CREDENTIALS_KEY);
    expect(rotated).toBe(channels);
    const after = (await Channel.findById(channel.id).lean())!.credentialsEncrypted;
    expect(after).not.toBe(before);
    expect(decryptCredentials(after, newKey)).toEqual({ secret });
    expect(() => decryptCredentials(after, TEST_CREDENTIALS_KEY)).toThrow(/cannot be read/);
    // Run again: nothing breaks.
    expect((await rotateCredentialsKey(config.CREDENTIALS_KEY)).rotated).toBe(channels);
  });
});
