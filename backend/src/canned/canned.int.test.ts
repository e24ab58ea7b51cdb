import request from 'supertest';
import { cannedResponseListSchema, cannedResponseSchema, cannedTextFor, errorBodySchema, loginResponseSchema } from '@parley/common';
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

  it('keep the same reply in other languages, one text per language, for customers who write in them', async () => {
    const supervisor = await tokenOf('supervisor');
    const input = {
      shortcut: 'sorry',
      title: 'Apology',
      text: 'So sorry, {{first_name}}!',
      translations: [
        { language: 'es', text: '¡Lo sentimos mucho, {{first_name}}!' },
        { language: 'FR', text: 'Toutes nos excuses, {{first_name}} !' },
      ],
    };
    const created = cannedResponseSchema.parse((await http().post('/api/canned-responses').auth(supervisor, { type: 'bearer' }).send(input).expect(201)).body);
    expect(created.translations).toEqual([input.translations[0], { language: 'fr', text: 'Toutes nos excuses, {{first_name}} !' }]);
    expect(cannedTextFor(created, 'fr')).toBe('Toutes nos excuses, {{first_name}} !');
    expect(cannedTextFor(created, 'de')).toBe('So sorry, {{first_name}}!');
    const twice = errorBodySchema.parse(
      (await http().post('/api/canned-responses').auth(supervisor, { type: 'bearer' }).send({ ...input, shortcut: 'sorry-2', translations: [input.translations[0], input.translations[0]] }).expect(400)).body,
    );
    expect(twice.error.field).toBe('translations');
    const badCode = errorBodySchema.parse((await http().post('/api/canned-responses').auth(supervisor, { type: 'bearer' }).send({ ...input, shortcut: 'sorry-3', translations: [{ language: 'spanish', text: 'hola' }] }).expect(400)).body);
    expect(badCode.error.field).toBe('translations.0.language');
  });
});
