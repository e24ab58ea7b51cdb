import { ConversationState, TestAdapter, type TurnContext } from 'botbuilder-core';
import { useParley } from '../test/harness';
import { BotState } from './bot-state.model';
import { ETagConflict, MongoBotStorage } from './bot-state.storage';

const parley = useParley(['api']);
const storage = () => new MongoBotStorage(parley().locks);
type Stored = Record<string, unknown> & { eTag: string };
const readOne = async (store: MongoBotStorage, key: string) => (await store.read([key]))[key] as Stored | undefined;

describe('the bot’s state in MongoDB', () => {
  it('reads what was written, with a new eTag on every write, and deletes', async () => {
    const store = storage();
    expect(await store.read(['conv/1'])).toEqual({});
    await store.write({ 'conv/1': { step: 'greeted', language: 'es' } });
    expect(await store.read(['conv/1', 'missing'])).toEqual({ 'conv/1': { step: 'greeted', language: 'es', eTag: expect.any(String) as string } });
    const first = await readOne(store, 'conv/1');
    await store.write({ 'conv/1': { ...first, step: 'asked-reference' } });
    const second = await readOne(store, 'conv/1');
    expect(second).toMatchObject({ step: 'asked-reference' });
    expect(second?.eTag).not.toBe(first?.eTag);
    await store.delete(['conv/1']);
    expect(await store.read(['conv/1'])).toEqual({});
  });

  it('refuses a write whose eTag is stale, and lets "*" and no eTag overwrite', async () => {
    const store = storage();
    await store.write({ 'conv/2': { count: 1 } });
    const read = await readOne(store, 'conv/2');
    await store.write({ 'conv/2': { ...read, count: 2 } });
    await expect(store.write({ 'conv/2': { ...read, count: 3 } })).rejects.toBeInstanceOf(ETagConflict);
    expect((await store.read(['conv/2']))['conv/2']).toMatchObject({ count: 2 });
    await store.write({ 'conv/2': { count: 9, eTag: '*' } });
    await store.write({ 'conv/2': { count: 10 } });
    expect((await store.read(['conv/2']))['conv/2']).toMatchObject({ count: 10 });
  });

  it('loses no update when many turns change one conversation at once: a stale one fails and reads again', async () => {
    const store = storage();
    await store.write({ 'conv/3': { count: 0 } });
    let conflicts = 0;
    const turn = async () => {
      for (;;) {
        const current = (await readOne(store, 'conv/3')) as Stored & { count: number };
        try {
          await store.write({ 'conv/3': { ...current, count: current.count + 1 } });
          return;
        } catch (error) {
          if (!(error instanceof ETagConflict)) throw error;
          conflicts += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, turn));
    expect((await store.read(['conv/3']))['conv/3']).toMatchObject({ count: 8 });
    // They did race: some had read a value another turn had already replaced.
    expect(conflicts).toBeGreaterThan(0);
    expect(await BotState.countDocuments({ _id: 'conv/3' })).toBe(1);
  });

  it('lets one of two racing writes of a new key through; the other, which had read an older one, is told', async () => {
    const store = storage();
    const results = await Promise.allSettled([store.write({ 'conv/4': { by: 'a', eTag: 'read-by-a' } }), store.write({ 'conv/4': { by: 'b', eTag: 'read-by-b' } })]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((result) => result.status === 'rejected')).toMatchObject({ reason: expect.any(ETagConflict) as ETagConflict });
    expect(await BotState.countDocuments({ _id: 'conv/4' })).toBe(1);
  });

  it('is the storage of botbuilder’s ConversationState across turns', async () => {
    const state = new ConversationState(storage());
    const visits = state.createProperty<number>('visits');
    const adapter = new TestAdapter(async (context: TurnContext) => {
      const count = (await visits.get(context, 0)) + 1;
      await visits.set(context, count);
      await context.sendActivity(`visit ${count}`);
      await state.saveChanges(context);
    });
    await adapter.send('hi').assertReply('visit 1').send('again').assertReply('visit 2').startTest();
    expect(await BotState.countDocuments({})).toBeGreaterThanOrEqual(1);
  });
});
