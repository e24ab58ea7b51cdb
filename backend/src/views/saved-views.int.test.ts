import request from 'supertest';
import { errorBodySchema, loginResponseSchema, savedViewListSchema, savedViewSchema, type Role } from '@parley/common';
import { TEST_PASSWORD, makeUser } from '../test/factories';
import { httpServer, useParley } from '../test/harness';

const parley = useParley(['api']);
const http = () => request(httpServer(parley()));

async function signIn(role: Role, name?: string): Promise<{ token: string; id: string }> {
  const user = await makeUser({ role, ...(name ? { name } : {}) });
  const response = await http().post('/api/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(200);
  return { token: loginResponseSchema.parse(response.body).token, id: user._id.toHexString() };
}

async function list(token: string) {
  return savedViewListSchema.parse((await http().get('/api/saved-views').auth(token, { type: 'bearer' }).expect(200)).body).items;
}

describe('saved filters', () => {
  it('are kept per user: listed with the shared ones by name, renamed, refiltered and deleted only by their owner', async () => {
    const alex = await signIn('agent', 'Alex Agent');
    const blair = await signIn('agent');

    const created = savedViewSchema.parse(
      (await http().post('/api/saved-views').auth(alex.token, { type: 'bearer' }).send({ name: '  Urgent on X ', filters: { priority: 'urgent', status: ['new', 'open'] } }).expect(201)).body,
    );
    expect(created).toMatchObject({ name: 'Urgent on X', filters: { priority: 'urgent', status: ['new', 'open'] }, shared: false, ownerId: alex.id, ownerName: 'Alex Agent' });
    await http().post('/api/saved-views').auth(alex.token, { type: 'bearer' }).send({ name: 'Angry VIPs', filters: { tag: 'vip', assignee: 'me', sort: 'slaDueAt' } }).expect(201);

    // Sorted by name, each with its filters and order; nobody else sees a personal view.
    expect((await list(alex.token)).map((view) => [view.name, view.filters])).toEqual([
      ['Angry VIPs', { tag: 'vip', assignee: 'me', sort: 'slaDueAt' }],
      ['Urgent on X', { priority: 'urgent', status: ['new', 'open'] }],
    ]);
    expect(await list(blair.token)).toEqual([]);

    // The same name twice for one owner is a conflict on `name`, on create and on rename; another user may use it.
    const duplicate = errorBodySchema.parse((await http().post('/api/saved-views').auth(alex.token, { type: 'bearer' }).send({ name: 'Urgent on X', filters: { tag: 'x' } }).expect(409)).body);
    expect(duplicate.error.field).toBe('name');
    const renamedOnto = errorBodySchema.parse((await http().patch(`/api/saved-views/${created.id}`).auth(alex.token, { type: 'bearer' }).send({ name: 'Angry VIPs' }).expect(409)).body);
    expect(renamedOnto.error.field).toBe('name');
    await http().post('/api/saved-views').auth(blair.token, { type: 'bearer' }).send({ name: 'Urgent on X', filters: { priority: 'urgent' } }).expect(201);

    const updated = savedViewSchema.parse(
      (await http().patch(`/api/saved-views/${created.id}`).auth(alex.token, { type: 'bearer' }).send({ name: 'Urgent', filters: { priority: 'urgent' } }).expect(200)).body,
    );
    expect(updated).toMatchObject({ name: 'Urgent', filters: { priority: 'urgent' } });
    expect(updated.filters).not.toHaveProperty('status');

    // Another user's personal view does not exist for them: 404, not 403.
    await http().patch(`/api/saved-views/${created.id}`).auth(blair.token, { type: 'bearer' }).send({ name: 'Mine now' }).expect(404);
    await http().delete(`/api/saved-views/${created.id}`).auth(blair.token, { type: 'bearer' }).expect(404);
    await http().delete('/api/saved-views/not-an-id').auth(alex.token, { type: 'bearer' }).expect(404);

    await http().delete(`/api/saved-views/${created.id}`).auth(alex.token, { type: 'bearer' }).expect(204);
    await http().delete(`/api/saved-views/${created.id}`).auth(alex.token, { type: 'bearer' }).expect(404);
    expect((await list(alex.token)).map((view) => view.name)).toEqual(['Angry VIPs']);
    await http().get('/api/saved-views').expect(401);
  });

  it('are shared only by supervisors and admins, and seen by everyone', async () => {
    const supervisor = await signIn('supervisor', 'Sue Supervisor');
    const admin = await signIn('admin');
    const agent = await signIn('agent');

    // An agent may neither share a new view nor share an own one afterwards.
    await http().post('/api/saved-views').auth(agent.token, { type: 'bearer' }).send({ name: 'Team urgent', filters: { priority: 'urgent' }, shared: true }).expect(403);
    const personal = savedViewSchema.parse((await http().post('/api/saved-views').auth(agent.token, { type: 'bearer' }).send({ name: 'My high', filters: { priority: 'high' } }).expect(201)).body);
    await http().patch(`/api/saved-views/${personal.id}`).auth(agent.token, { type: 'bearer' }).send({ shared: true }).expect(403);

    const shared = savedViewSchema.parse(
      (await http().post('/api/saved-views').auth(supervisor.token, { type: 'bearer' }).send({ name: 'Breaching soon', filters: { status: ['new'], assignee: 'none' }, shared: true }).expect(201)).body,
    );
    expect(shared).toMatchObject({ shared: true, ownerName: 'Sue Supervisor' });

    const seenByAgent = await list(agent.token);
    expect(seenByAgent.map((view) => [view.name, view.shared])).toEqual([
      ['Breaching soon', true],
      ['My high', false],
    ]);

    // The agent sees the shared view but may not change or delete it; another supervisor or an admin may.
    await http().patch(`/api/saved-views/${shared.id}`).auth(agent.token, { type: 'bearer' }).send({ name: 'Mine' }).expect(403);
    await http().delete(`/api/saved-views/${shared.id}`).auth(agent.token, { type: 'bearer' }).expect(403);
    const renamed = savedViewSchema.parse((await http().patch(`/api/saved-views/${shared.id}`).auth(admin.token, { type: 'bearer' }).send({ name: 'New and unassigned' }).expect(200)).body);
    expect(renamed).toMatchObject({ name: 'New and unassigned', shared: true, ownerId: supervisor.id });
    await http().delete(`/api/saved-views/${shared.id}`).auth(admin.token, { type: 'bearer' }).expect(204);
    expect((await list(agent.token)).map((view) => view.name)).toEqual(['My high']);
  });

  it('refuse bad input with the field at fault', async () => {
    const { token } = await signIn('agent');
    const post = async (body: unknown) => errorBodySchema.parse((await http().post('/api/saved-views').auth(token, { type: 'bearer' }).send(body as object).expect(400)).body).error.field;

    await expect(post({ name: '   ', filters: { priority: 'high' } })).resolves.toBe('name');
    await expect(post({ name: 'x'.repeat(61), filters: { priority: 'high' } })).resolves.toBe('name');
    await expect(post({ name: 'Nothing', filters: {} })).resolves.toBe('filters');
    await expect(post({ name: 'Typo', filters: { priorty: 'high' } })).resolves.toBe('filters.priorty');
    await expect(post({ name: 'Operator', filters: { tag: { $ne: 'x' } } })).resolves.toBe('filters.tag');
    await expect(post({ name: 'Empty status', filters: { status: [] } })).resolves.toBe('filters.status');
    await expect(post({ name: 'Bad status', filters: { status: ['open', 'lost'] } })).resolves.toBe('filters.status.1');
    await expect(post({ name: 'Bad assignee', filters: { assignee: 'someone' } })).resolves.toBe('filters.assignee');
    await expect(post({ name: 'Extra', filters: { tag: 'vip' }, owner: 'me' })).resolves.toBe('owner');

    const view = savedViewSchema.parse((await http().post('/api/saved-views').auth(token, { type: 'bearer' }).send({ name: 'Fine', filters: { tag: 'vip' } }).expect(201)).body);
    const patched = errorBodySchema.parse((await http().patch(`/api/saved-views/${view.id}`).auth(token, { type: 'bearer' }).send({ filters: { channelId: 'nope' } }).expect(400)).body);
    expect(patched.error.field).toBe('filters.channelId');
  });
});
