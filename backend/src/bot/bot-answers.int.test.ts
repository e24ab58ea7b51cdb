import request from 'supertest';
import { botAnswerListSchema, botAnswerMatchResponseSchema, botAnswerSchema, errorBodySchema, type BotAnswerInput, type Role } from '@parley/common';
import { httpServer, useParley } from '../test/harness';
import { signedInAs } from '../test/sessions';
import { BotAnswer } from './bot-answer.model';
import { createAnswerMatcher, forgetBotAnswers } from './answers.matcher';
import { demoBotAnswers, seedBotAnswers } from './answers.seed';

const parley = useParley(['api']);
const http = () => request(httpServer(parley()));

const headers = new Map<Role, Record<string, string>>();
async function as(role: Role): Promise<Record<string, string>> {
  const known = headers.get(role);
  if (known) return known;
  const { headers: signedIn } = await signedInAs(httpServer(parley()), { role });
  headers.set(role, signedIn);
  return signedIn;
}
const errorOf = (body: unknown) => errorBodySchema.parse(body).error;

const parking = (fields: Partial<BotAnswerInput> = {}): BotAnswerInput => ({
  intent: 'parking',
  questions: [
    { language: 'en', text: 'Where can I park my car at the airport?' },
    { language: 'es', text: '¿Dónde puedo aparcar el coche en el aeropuerto?' },
  ],
  answers: [
    { language: 'en', text: 'Acme parking is at Terminal 2, level -1.' },
    { language: 'es', text: 'El aparcamiento de Acme está en la Terminal 2, planta -1.' },
  ],
  ...fields,
});

afterEach(async () => {
  await BotAnswer.deleteMany({});
  forgetBotAnswers();
});

describe('the bot knowledge base', () => {
  it('is read by supervisors and admins and kept by admins only', async () => {
    await http().get('/api/bot/answers').expect(401);
    await http().get('/api/bot/answers').set(await as('agent')).expect(403);
    await http().post('/api/bot/answers/match').set(await as('agent')).send({ text: 'refund' }).expect(403);
    const supervisor = await as('supervisor');
    expect(errorOf((await http().post('/api/bot/answers').set(supervisor).send(parking()).expect(403)).body).code).toBe('forbidden');
    await http().post('/api/bot/answers').set(await as('agent')).send(parking()).expect(403);

    const created = botAnswerSchema.parse((await http().post('/api/bot/answers').set(await as('admin')).send(parking()).expect(201)).body);
    expect(created).toMatchObject({ intent: 'parking', visibility: 'both', active: true, questions: parking().questions, answers: parking().answers });
    await http().put(`/api/bot/answers/${created.id}`).set(supervisor).send(parking()).expect(403);
    await http().delete(`/api/bot/answers/${created.id}`).set(supervisor).expect(403);

    const listed = botAnswerListSchema.parse((await http().get('/api/bot/answers').set(supervisor).expect(200)).body);
    expect(listed.items.map((item) => item.intent)).toEqual(['parking']);
  });

  it('refuses bad entries with a 400 naming the field, and a second entry for an intent with a 409', async () => {
    const admin = await as('admin');
    const fieldOf = async (body: unknown) => errorOf((await http().post('/api/bot/answers').set(admin).send(body as object).expect(400)).body).field;

    expect(await fieldOf(parking({ answers: [{ language: 'es', text: 'Solo en español' }] }))).toBe('answers');
    expect(await fieldOf(parking({ questions: [{ language: 'en', text: 'Where can I park?' }, { language: 'en', text: '   ' }] }))).toBe('questions.1.text');
    expect(await fieldOf(parking({ questions: [] }))).toBe('questions');
    expect(await fieldOf(parking({ intent: 'Parking Lots!' }))).toBe('intent');
    expect(await fieldOf({ ...parking(), answers: [{ language: 'de', text: 'Parken' }, ...parking().answers] })).toBe('answers.0.language');
    expect(await fieldOf({ ...parking(), answers: [...parking().answers, { language: 'en', text: 'Twice' }] })).toBe('answers.2.language');
    expect(await fieldOf({ ...parking(), visibility: 'everywhere' })).toBe('visibility');
    expect(await fieldOf({ ...parking(), extra: true })).toBe('extra');

    await http().post('/api/bot/answers').set(admin).send(parking()).expect(201);
    const duplicate = errorOf((await http().post('/api/bot/answers').set(admin).send(parking()).expect(409)).body);
    expect(duplicate).toMatchObject({ code: 'conflict', field: 'intent' });
  });

  it('replaces an entry as a whole, refuses to take another entry’s intent, and deletes it', async () => {
    const admin = await as('admin');
    const first = botAnswerSchema.parse((await http().post('/api/bot/answers').set(admin).send(parking()).expect(201)).body);
    await http().post('/api/bot/answers').set(admin).send(parking({ intent: 'wifi', questions: [{ language: 'en', text: 'Is there wifi on board?' }], answers: [{ language: 'en', text: 'Yes, free.' }] })).expect(201);

    const replacement = parking({ questions: [{ language: 'fr', text: 'Où garer ma voiture ?' }], answers: [{ language: 'en', text: 'Terminal 2.' }], visibility: 'private', active: false });
    const replaced = botAnswerSchema.parse((await http().put(`/api/bot/answers/${first.id}`).set(admin).send(replacement).expect(200)).body);
    expect(replaced).toMatchObject({ id: first.id, intent: 'parking', questions: replacement.questions, answers: replacement.answers, visibility: 'private', active: false });
    // Full replace: what the body leaves out takes its default again.
    const defaults = botAnswerSchema.parse((await http().put(`/api/bot/answers/${first.id}`).set(admin).send(parking()).expect(200)).body);
    expect(defaults).toMatchObject({ visibility: 'both', active: true, questions: parking().questions });

    expect(errorOf((await http().put(`/api/bot/answers/${first.id}`).set(admin).send(parking({ intent: 'wifi' })).expect(409)).body).field).toBe('intent');
    expect(errorOf((await http().put(`/api/bot/answers/${first.id}`).set(admin).send({ ...parking(), questions: [{ language: 'en', text: '' }] }).expect(400)).body).field).toBe('questions.0.text');
    await http().put('/api/bot/answers/0123456789abcdef01234567').set(admin).send(parking()).expect(404);
    await http().put('/api/bot/answers/not-an-id').set(admin).send(parking()).expect(404);

    await http().delete(`/api/bot/answers/${first.id}`).set(admin).expect(204);
    await http().delete(`/api/bot/answers/${first.id}`).set(admin).expect(404);
    const listed = botAnswerListSchema.parse((await http().get('/api/bot/answers').set(admin).expect(200)).body);
    expect(listed.items.map((item) => item.intent)).toEqual(['wifi']);
  });

  it('tries a question on the entries at once after a change through the routes', async () => {
    const admin = await as('admin');
    const tryIt = async (body: object) => botAnswerMatchResponseSchema.parse((await http().post('/api/bot/answers/match').set(admin).send(body).expect(200)).body);
    expect(await tryIt({ text: 'where do I park?' })).toMatchObject({ match: null, closest: null });

    const created = botAnswerSchema.parse((await http().post('/api/bot/answers').set(admin).send(parking()).expect(201)).body);
    const found = await tryIt({ text: 'where can I park the car', language: 'en' });
    expect(found.match).toMatchObject({ answerId: created.id, intent: 'parking', language: 'en', text: 'Acme parking is at Terminal 2, level -1.' });
    expect(found.match?.confidence).toBeGreaterThanOrEqual(found.threshold);
    expect((await tryIt({ text: '¿dónde aparco?', language: 'es', visibility: 'public' })).match).toMatchObject({ intent: 'parking', language: 'es' });

    await http().put(`/api/bot/answers/${created.id}`).set(admin).send(parking({ visibility: 'private' })).expect(200);
    expect((await tryIt({ text: 'where can I park the car', visibility: 'public' })).match).toBeNull();
    const supervisor = await as('supervisor');
    const viaSupervisor = botAnswerMatchResponseSchema.parse((await http().post('/api/bot/answers/match').set(supervisor).send({ text: 'where can I park the car' }).expect(200)).body);
    expect(viaSupervisor.match?.intent).toBe('parking');
    expect(errorOf((await http().post('/api/bot/answers/match').set(admin).send({ text: '  ' }).expect(400)).body).field).toBe('text');
  });

  it('seeds the demo entries once, keeps an admin’s edit, and answers real questions from them', async () => {
    expect(await seedBotAnswers()).toBe(demoBotAnswers.length);
    const admin = await as('admin');
    const seeded = botAnswerListSchema.parse((await http().get('/api/bot/answers').set(admin).expect(200)).body).items;
    const refunds = seeded.find((item) => item.intent === 'refunds');
    if (!refunds) throw new Error('no refunds entry seeded');
    const edited = { intent: 'refunds', questions: refunds.questions, answers: [{ language: 'en' as const, text: 'Refunds: see acme.example/refunds.' }], visibility: 'both' as const, active: true };
    await http().put(`/api/bot/answers/${refunds.id}`).set(admin).send(edited).expect(200);

    expect(await seedBotAnswers()).toBe(0);
    expect(await BotAnswer.countDocuments()).toBe(demoBotAnswers.length);
    expect((await BotAnswer.findOne({ intent: 'refunds' }).lean())?.answers).toEqual(edited.answers);

    const matcher = createAnswerMatcher();
    expect(await matcher.match('I lost my luggage on the flight from Madrid', 'en', 'public')).toMatchObject({ intent: 'lost-baggage', language: 'en' });
    expect(await matcher.match('¿Cuántas maletas puedo facturar?', 'es', 'private')).toMatchObject({ intent: 'baggage-allowance', language: 'es' });
    expect(await matcher.match('Je voudrais changer la date de mon vol', 'fr', 'private')).toMatchObject({ intent: 'booking-changes', language: 'fr' });
    // The edited entry answers in English only now, whatever the customer's language.
    expect(await matcher.match('quiero un reembolso', 'es', 'private')).toMatchObject({ intent: 'refunds', language: 'en', text: 'Refunds: see acme.example/refunds.' });
    expect(await matcher.match('my cat is sick', 'en', 'private')).toBeNull();
  });
});
