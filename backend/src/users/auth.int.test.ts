import request from 'supertest';
import { SESSION_COOKIE, errorBodySchema, loginResponseSchema, meResponseSchema } from '@parley/common';
import { TEST_PASSWORD, makeTeam, makeUser } from '../test/factories';
import { httpServer, useParley } from '../test/harness';
import { deleteExpiredSessions, tokenId } from './auth.service';
import { Session } from './session.model';

// TRUST_PROXY: tests give each client its own address with X-Forwarded-For.
const parley = useParley(['api'], { LOGIN_RATE_LIMIT: '3', TRUST_PROXY: 'true' });
const http = () => request(httpServer(parley()));

const errorOf = (response: { body: unknown }) => errorBodySchema.parse(response.body).error;

const attempt = (address: string, email: string, password: string) => http().post('/api/auth/login').set('x-forwarded-for', address).send({ email, password });

/** Makes the current limit windows of one client address end in `seconds`, as if they had begun earlier. */
async function windowsOfAddressEndIn(address: string, seconds: number): Promise<number> {
  const { client } = parley().redis;
  const keys = await client.keys(`${parley().config.QUEUE_PREFIX}:login-limit*${address}*`);
  for (const key of keys) await client.pexpire(key, seconds * 1000);
  return keys.length;
}

async function signIn(email: string) {
  const response = await http().post('/api/auth/login').send({ email, password: TEST_PASSWORD }).expect(200);
  return loginResponseSchema.parse(response.body);
}

describe('POST /api/auth/login', () => {
  it('signs in with the right password: a token, the user and an httpOnly session cookie', async () => {
    const team = await makeTeam('Care');
    const user = await makeUser({ role: 'supervisor', teamIds: [team._id] });
    const response = await http().post('/api/auth/login').send({ email: user.email.toUpperCase(), password: TEST_PASSWORD }).expect(200);

    const body = loginResponseSchema.parse(response.body);
    expect(body.user).toMatchObject({ email: user.email, role: 'supervisor', teamIds: [team._id.toHexString()] });
    expect(JSON.stringify(body)).not.toContain('passwordHash');
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toContain(`${SESSION_COOKIE}=${body.token}`);
    expect(cookie).toMatch(/HttpOnly/i);
    // Only a hash of the token is stored.
    expect(await Session.findById(tokenId(body.token)).lean()).toMatchObject({ userId: user._id });
    expect(await Session.findById(body.token).lean()).toBeNull();
  });

  it('answers 401 in the error shape for a wrong password and for an unknown email alike', async () => {
    const user = await makeUser();
    const wrong = await http().post('/api/auth/login').send({ email: user.email, password: 'nope' }).expect(401);
    const unknown = await http().post('/api/auth/login').send({ email: 'nobody@example.test', password: 'nope' }).expect(401);
    expect(errorBodySchema.parse(wrong.body)).toEqual({ error: { code: 'unauthenticated', message: 'Wrong email or password' } });
    expect(unknown.body).toEqual(wrong.body);
  });

  it('refuses a deactivated user', async () => {
    const user = await makeUser({ active: false });
    await http().post('/api/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(401);
  });

  it('names the field of invalid input, and never lets query operators through', async () => {
    const missing = await http().post('/api/auth/login').send({ email: 'a@b.test' }).expect(400);
    expect(errorOf(missing)).toMatchObject({ code: 'invalid', field: 'password' });
    const operator = await http().post('/api/auth/login').send({ email: { $gt: '' }, password: { $gt: '' } }).expect(400);
    expect(errorOf(operator)).toMatchObject({ code: 'invalid', field: 'email' });
    const notJson = await http().post('/api/auth/login').set('content-type', 'application/json').send('{"email":').expect(400);
    expect(errorOf(notJson)).toMatchObject({ code: 'invalid', field: 'body' });
  });

  it('rejects a body over the limit with 413', async () => {
    const response = await http()
      .post('/api/auth/login')
      .send({ email: 'a@b.test', password: 'x'.repeat(2 * 1024 * 1024) })
      .expect(413);
    expect(errorOf(response).code).toBe('too_large');
  });

  it('rate limits failed attempts per address and email, without counting successful ones', async () => {
    const user = await makeUser();
    await signIn(user.email);
    for (let attempt = 0; attempt < 3; attempt++) {
      await http().post('/api/auth/login').send({ email: user.email, password: 'guess' }).expect(401);
    }
    const limited = await http().post('/api/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(429);
    expect(errorOf(limited).code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another account from the same address is not locked out by it.
    const other = await makeUser();
    await signIn(other.email);
  });

  it('limits failed sign-ins per address whatever the email, and leaves other addresses alone', async () => {
    const attacker = '203.0.113.7';
    const statuses: number[] = [];
    for (let guess = 0; guess < 30; guess++) {
      statuses.push((await attempt(attacker, `guess-${guess}@example.test`, 'hunter2')).status);
    }
    const firstLimited = statuses.indexOf(429);
    expect(firstLimited).toBeGreaterThan(0);
    expect(firstLimited).toBeLessThan(29);
    expect(statuses.slice(0, firstLimited).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(firstLimited).every((status) => status === 429)).toBe(true);

    const limited = await attempt(attacker, 'one-more@example.test', 'hunter2').expect(429);
    expect(errorOf(limited).code).toBe('rate_limited');
    const windowSeconds = parley().config.LOGIN_RATE_WINDOW_MINUTES * 60;
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(windowSeconds);
    // Retry-After is the time left in this address's window, not a whole window.
    expect(await windowsOfAddressEndIn(attacker, 90)).toBeGreaterThan(0);
    const later = await attempt(attacker, 'and-another@example.test', 'hunter2').expect(429);
    expect(Number(later.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(later.headers['retry-after'])).toBeLessThanOrEqual(90);

    // Someone signing in from another address is not slowed by it.
    const user = await makeUser();
    await attempt('198.51.100.9', user.email, 'typo').expect(401);
    await attempt('198.51.100.9', user.email, TEST_PASSWORD).expect(200);
  });

  it('counts only failed sign-ins against an address', async () => {
    const office = '192.0.2.44';
    const limit = parley().config.LOGIN_RATE_LIMIT_PER_ADDRESS;
    // Colleagues behind one office address sign in all day without using up its limit.
    for (let colleague = 0; colleague < 3; colleague++) {
      await attempt(office, (await makeUser()).email, TEST_PASSWORD).expect(200);
    }
    for (let guess = 0; guess < limit; guess++) {
      await attempt(office, `office-guess-${guess}@example.test`, 'hunter2').expect(401);
    }
    const limited = await attempt(office, `office-guess-${limit}@example.test`, 'hunter2').expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('answers the per-account limit with the time left in its window', async () => {
    const user = await makeUser();
    const address = '198.51.100.77';
    for (let guess = 0; guess < 3; guess++) await attempt(address, user.email, 'guess').expect(401);
    const limited = await attempt(address, user.email, 'guess').expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(await windowsOfAddressEndIn(address, 60)).toBeGreaterThan(0);
    const later = await attempt(address, user.email, TEST_PASSWORD).expect(429);
    expect(errorOf(later).code).toBe('rate_limited');
    expect(Number(later.headers['retry-after'])).toBeLessThanOrEqual(60);
  });
});

describe('sessions', () => {
  it('GET /api/me answers the user and teams for a bearer token and for the cookie', async () => {
    const team = await makeTeam();
    const user = await makeUser({ teamIds: [team._id] });
    const { token } = await signIn(user.email);

    const byHeader = await http().get('/api/me').set('authorization', `Bearer ${token}`).expect(200);
    expect(meResponseSchema.parse(byHeader.body)).toMatchObject({ user: { id: user._id.toHexString() }, teams: [{ name: team.name }] });
    const byCookie = await http().get('/api/me').set('cookie', `${SESSION_COOKIE}=${token}`).expect(200);
    expect(byCookie.body).toEqual(byHeader.body);
  });

  it('answers 401 without a token, with a made-up token, and after logout', async () => {
    const user = await makeUser();
    const { token } = await signIn(user.email);
    await http().get('/api/me').expect(401);
    await http().get('/api/me').set('authorization', 'Bearer made-up').expect(401);
    await http().post('/api/auth/logout').set('authorization', `Bearer ${token}`).expect(204);
    await http().get('/api/me').set('authorization', `Bearer ${token}`).expect(401);
  });

  it('expires sessions, and housekeeping deletes only the expired ones', async () => {
    const user = await makeUser();
    const expired = await signIn(user.email);
    const current = await signIn(user.email);
    await Session.updateOne({ _id: tokenId(expired.token) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });

    await http().get('/api/me').set('authorization', `Bearer ${expired.token}`).expect(401);
    expect(await deleteExpiredSessions()).toBeGreaterThanOrEqual(1);
    expect(await Session.findById(tokenId(expired.token)).lean()).toBeNull();
    await http().get('/api/me').set('authorization', `Bearer ${current.token}`).expect(200);
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const response = await http().get('/api/nothing-here').expect(404);
    expect(errorOf(response).code).toBe('not_found');
  });
});
