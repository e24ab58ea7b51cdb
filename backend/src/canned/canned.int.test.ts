import request from 'supertest';
import { cannedResponseListSchema, cannedResponseSchema, errorBodySchema, loginResponseSchema } from '@parley/common';
import { TEST_PASSWORD, makeUser } from '../test/factories';
import { httpServer, useParley } from '../test/harness';

const parley = useParley(['api']);
const http = () => request(httpServer(parley()));

async function tokenOf(role: 'agent' | 'supervisor'): Promise<string> {
  const user = await makeUser({ role });
  const response = await http().post('/api/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(200);
  return loginResponseSchema.parse(response.body).token;
}

describe('canned responses', () => {
  it('are kept by supervisors and read by every agent, one per shortcut', async () => {
    const supervisor = await tokenOf('supervisor');
    const agent = await tokenOf('agent');
    const input = { shortcut: 'hello', title: 'Greeting', text: 'Hi {{first_name}}, I am {{agent_name}}.' };

    const created = cannedResponseSchema.parse((await http().post('/api/canned-responses').auth(supervisor, { type: 'bearer' }).send(input).expect(201)).body);
    expect(created).toMatchObject(input);

    const duplicate = errorBodySchema.parse((await http().post('/api/canned-responses').auth(supervisor, { type: 'bearer' }).send(input).expect(409)).body);
    expect(duplicate.error.field).toBe('shortcut');
    const invalid = errorBodySchema.parse((await http().post('/api/canned-responses').auth(supervisor, { type: 'bearer' }).send({ ...input, shortcut: 'Not OK!' }).expect(400)).body);
    expect(invalid.error.field).toBe('shortcut');
    await http().post('/api/canned-responses').auth(agent, { type: 'bearer' }).send({ ...input, shortcut: 'mine' }).expect(403);

    const listed = cannedResponseListSchema.parse((await http().get('/api/canned-responses').auth(agent, { type: 'bearer' }).expect(200)).body);
    expect(listed.items.map((item) => item.shortcut)).toEqual(['hello']);
    await http().get('/api/canned-responses').expect(401);

    await http().delete(`/api/canned-responses/${created.id}`).auth(supervisor, { type: 'bearer' }).expect(204);
    await http().delete(`/api/canned-responses/${created.id}`).auth(supervisor, { type: 'bearer' }).expect(404);
  });
});
