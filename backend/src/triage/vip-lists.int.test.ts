import request from 'supertest';
import Redis from 'ioredis';
import { Types } from 'mongoose';
import {
  errorBodySchema,
  loginResponseSchema,
  vipEntryListSchema,
  vipEntrySchema,
  vipImportReportSchema,
  vipListListSchema,
  vipListSchema,
  type Role,
  type VipList,
} from '@parley/common';
import { TEST_PASSWORD, makeUser } from '../test/factories';
import { eventually } from '../test/eventually';
import { httpServer, useParley } from '../test/harness';
import { vipListingOf, vipListsVersionKey } from './vip';
import { VipEntry } from './vip-lists.model';

const parley = useParley(['api']);
const http = () => request(httpServer(parley()));

const tokens = new Map<Role, string>();
async function tokenOf(role: Role): Promise<string> {
  const known = tokens.get(role);
  if (known) return known;
  const user = await makeUser({ role });
  const response = await http().post('/api/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(200);
  const token = loginResponseSchema.parse(response.body).token;
  tokens.set(role, token);
  return token;
}

const as = async (role: Role) => ({ authorization: `Bearer ${await tokenOf(role)}` });
const errorOf = (body: unknown) => errorBodySchema.parse(body).error;

let names = 0;
async function makeList(fields: { name?: string; kind?: 'vip' | 'press' } = {}): Promise<VipList> {
  names += 1;
  const response = await http()
    .post('/api/vip-lists')
    .set(await as('admin'))
    .send({ name: fields.name ?? `List ${names}`, kind: fields.kind ?? 'vip' })
    .expect(201);
  return vipListSchema.parse(response.body);
}

async function importCsv(listId: string, csv: string | Buffer, status = 200) {
  const response = await http()
    .post(`/api/vip-lists/${listId}/import`)
    .set(await as('supervisor'))
    .set('content-type', 'text/csv')
    .send(Buffer.isBuffer(csv) ? csv : Buffer.from(csv, 'utf8'))
    .expect(status);
  return response.body as unknown;
}

async function listOf(id: string): Promise<VipList | undefined> {
  const response = await http().get('/api/vip-lists').set(await as('supervisor')).expect(200);
  return vipListListSchema.parse(response.body).items.find((list) => list.id === id);
}

describe('VIP lists', () => {
  it('are for supervisors and admins only', async () => {
    await http().get('/api/vip-lists').expect(401);
    const agent = await as('agent');
    expect(errorOf((await http().get('/api/vip-lists').set(agent).expect(403)).body).code).toBe('forbidden');
    await http().post('/api/vip-lists').set(agent).send({ name: 'Mine', kind: 'vip' }).expect(403);
    const list = await makeList();
    await http().get(`/api/vip-lists/${list.id}/entries`).set(agent).expect(403);
    await http().post(`/api/vip-lists/${list.id}/entries`).set(agent).send({ platform: 'x', handle: 'someone' }).expect(403);
    await http().post(`/api/vip-lists/${list.id}/import`).set(agent).set('content-type', 'text/csv').send('platform,handle\nx,someone\n').expect(403);
    await http().delete(`/api/vip-lists/${list.id}`).set(agent).expect(403);
    await http().get('/api/vip-lists').set(await as('supervisor')).expect(200);
  });

  it('are created, renamed and deleted, one per name whatever its case', async () => {
    const supervisor = await as('supervisor');
    const created = vipListSchema.parse(
      (await http().post('/api/vip-lists').set(supervisor).send({ name: ' Tech press ', kind: 'press', description: 'Journalists who cover us' }).expect(201)).body,
    );
    expect(created).toMatchObject({ name: 'Tech press', kind: 'press', description: 'Journalists who cover us', entryCount: 0 });

    const taken = await http().post('/api/vip-lists').set(supervisor).send({ name: 'TECH PRESS', kind: 'vip' }).expect(409);
    expect(errorOf(taken.body)).toMatchObject({ code: 'conflict', field: 'name' });
    expect(errorOf((await http().post('/api/vip-lists').set(supervisor).send({ name: 'No kind' }).expect(400)).body).field).toBe('kind');
    expect(errorOf((await http().post('/api/vip-lists').set(supervisor).send({ name: '  ', kind: 'vip' }).expect(400)).body).field).toBe('name');
    expect(errorOf((await http().post('/api/vip-lists').set(supervisor).send({ name: 'X', kind: 'vip', owner: 'me' }).expect(400)).body).field).toBe('owner');

    const other = await makeList({ name: 'Investors' });
    expect(errorOf((await http().patch(`/api/vip-lists/${other.id}`).set(supervisor).send({ name: 'tech Press' }).expect(409)).body).field).toBe('name');
    expect(errorOf((await http().patch(`/api/vip-lists/${other.id}`).set(supervisor).send({ kind: 'press' }).expect(400)).body).field).toBe('kind');
    const renamed = vipListSchema.parse((await http().patch(`/api/vip-lists/${other.id}`).set(supervisor).send({ name: 'Angel investors', description: 'Seed round' }).expect(200)).body);
    expect(renamed).toMatchObject({ id: other.id, name: 'Angel investors', description: 'Seed round', kind: 'vip' });
    // The old name is free again.
    await http().post('/api/vip-lists').set(supervisor).send({ name: 'investors', kind: 'vip' }).expect(201);

    await http().post(`/api/vip-lists/${other.id}/entries`).set(supervisor).send({ platform: 'x', handle: 'angel' }).expect(201);
    await http().delete(`/api/vip-lists/${other.id}`).set(supervisor).expect(204);
    expect(await listOf(other.id)).toBeUndefined();
    expect(await VipEntry.countDocuments({ listId: new Types.ObjectId(other.id) })).toBe(0);
    await http().delete(`/api/vip-lists/${other.id}`).set(supervisor).expect(404);
    await http().get(`/api/vip-lists/${other.id}/entries`).set(supervisor).expect(404);
    await http().patch('/api/vip-lists/not-an-id').set(supervisor).send({ name: 'Nope' }).expect(404);
  });

  it('keep one entry per account, by handle without "@" or case, or by the platform id', async () => {
    const supervisor = await as('supervisor');
    const list = await makeList();
    const entries = `/api/vip-lists/${list.id}/entries`;

    const alice = vipEntrySchema.parse((await http().post(entries).set(supervisor).send({ platform: 'x', handle: '@Alice', displayName: 'Alice A.' }).expect(201)).body);
    expect(alice).toMatchObject({ listId: list.id, platform: 'x', handle: 'Alice', externalId: null, displayName: 'Alice A.', note: null });
    expect(errorOf((await http().post(entries).set(supervisor).send({ platform: 'x', handle: 'alice' }).expect(409)).body)).toMatchObject({ code: 'conflict', field: 'handle' });
    // The same handle on another platform is another account.
    await http().post(entries).set(supervisor).send({ platform: 'instagram', handle: 'alice' }).expect(201);
    await http().post(entries).set(supervisor).send({ platform: 'facebook', externalId: '1001', displayName: 'Bob' }).expect(201);
    expect(errorOf((await http().post(entries).set(supervisor).send({ platform: 'facebook', externalId: '1001' }).expect(409)).body).field).toBe('externalId');

    expect(errorOf((await http().post(entries).set(supervisor).send({ platform: 'x', displayName: 'Nobody' }).expect(400)).body).field).toBe('handle');
    expect(errorOf((await http().post(entries).set(supervisor).send({ platform: 'x', handle: '  ', externalId: '' }).expect(400)).body).field).toBe('handle');
    expect(errorOf((await http().post(entries).set(supervisor).send({ platform: 'myspace', handle: 'tom' }).expect(400)).body).field).toBe('platform');
    expect(errorOf((await http().post(entries).set(supervisor).send({ platform: 'x', handle: 'two words' }).expect(400)).body).field).toBe('handle');
    expect(errorOf((await http().post(entries).set(supervisor).send({ platform: 'x', handle: 'ok', followers: 3 }).expect(400)).body).field).toBe('followers');

    expect((await listOf(list.id))?.entryCount).toBe(3);

    const searched = vipEntryListSchema.parse((await http().get(`${entries}?q=ALI`).set(supervisor).expect(200)).body);
    expect(searched.items.map((entry) => `${entry.platform}:${entry.handle}`).sort()).toEqual(['instagram:alice', 'x:Alice']);
    const byName = vipEntryListSchema.parse((await http().get(`${entries}?q=bob`).set(supervisor).expect(200)).body);
    expect(byName.items.map((entry) => entry.externalId)).toEqual(['1001']);

    const first = vipEntryListSchema.parse((await http().get(`${entries}?limit=2`).set(supervisor).expect(200)).body);
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = vipEntryListSchema.parse((await http().get(`${entries}?limit=2&cursor=${first.nextCursor}`).set(supervisor).expect(200)).body);
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((entry) => entry.id).sort()).toEqual(
      vipEntryListSchema
        .parse((await http().get(entries).set(supervisor).expect(200)).body)
        .items.map((entry) => entry.id)
        .sort(),
    );
    expect(second.items.map((entry) => entry.id)).toEqual([alice.id]);

    await http().delete(`${entries}/${alice.id}`).set(supervisor).expect(204);
    await http().delete(`${entries}/${alice.id}`).set(supervisor).expect(404);
    expect((await listOf(list.id))?.entryCount).toBe(2);
    await http().post(entries).set(supervisor).send({ platform: 'x', handle: 'alice' }).expect(201);
  });

  describe('import', () => {
    it('stores the good lines of a CSV and reports the bad ones by physical line number', async () => {
      const list = await makeList();
      await http().post(`/api/vip-lists/${list.id}/entries`).set(await as('admin')).send({ platform: 'x', handle: 'already' }).expect(201);
      const csv = [
        '\uFEFFdisplay_name,Platform,handle,external_id,note', // 1
        'Alice,X,@alice,,"Keynote speaker, 2024"', // 2
        'Tom,MySpace,tom,,', // 3: no such platform
        'No one,x,,,', // 4: neither handle nor id
        'Carol,instagram,carol,,"Two', // 5: a note over two lines…
        'lines"', // 6
        'Dave,facebook,dave,,ok,surplus', // 7: one field too many
        'Again,x,ALICE,,', // 8: repeated in the file
        'Known,x,@Already,,', // 9: on the list already
        'Erin,facebook,,10042,', // 10
        '', // 11: empty lines are skipped
        'Frank,x,frank,,"never closed', // 12: a quote left open
        'Grace,x,grace,,', // 13: read again after it
        '',
      ].join('\r\n');
      const report = vipImportReportSchema.parse(await importCsv(list.id, csv));
      expect(report).toEqual({
        imported: 4,
        duplicates: 2,
        errors: [
          { line: 3, field: 'platform', message: expect.stringContaining('"MySpace" is not a platform') as string },
          { line: 4, field: 'handle', message: 'give a handle or an external_id' },
          { line: 7, field: null, message: expect.stringContaining('6 fields where the header names 5 columns') as string },
          { line: 12, field: null, message: 'a quote opens a field here and is never closed' },
        ],
      });
      const stored = vipEntryListSchema.parse((await http().get(`/api/vip-lists/${list.id}/entries?limit=200`).set(await as('admin')).expect(200)).body);
      expect(stored.items.map((entry) => [entry.platform, entry.handle ?? entry.externalId, entry.displayName, entry.note]).sort()).toEqual([
        ['facebook', '10042', 'Erin', null],
        ['instagram', 'carol', 'Carol', 'Two\r\nlines'],
        ['x', 'alice', 'Alice', 'Keynote speaker, 2024'],
        ['x', 'already', null, null],
        ['x', 'grace', 'Grace', null],
      ]);
      expect((await listOf(list.id))?.entryCount).toBe(5);

      // The same file again: nothing new, nothing lost.
      const again = vipImportReportSchema.parse(await importCsv(list.id, csv));
      expect(again).toMatchObject({ imported: 0, duplicates: 6 });
      expect(again.errors.map((error) => error.line)).toEqual([3, 4, 7, 12]);
    });

    it('stores an account once when two imports of it race', async () => {
      const list = await makeList();
      const csv = `platform,handle\n${Array.from({ length: 300 }, (_, index) => `x,racer${index}`).join('\n')}\n`;
      const reports = (await Promise.all([importCsv(list.id, csv), importCsv(list.id, csv)])).map((body) => vipImportReportSchema.parse(body));
      expect(reports.reduce((sum, report) => sum + report.imported, 0)).toBe(300);
      expect(reports.reduce((sum, report) => sum + report.duplicates, 0)).toBe(300);
      expect((await listOf(list.id))?.entryCount).toBe(300);
    });

    it('answers 200 with the report when every line is bad', async () => {
      const list = await makeList();
      const report = vipImportReportSchema.parse(await importCsv(list.id, 'platform,handle\nfriendster,a\nx,\n'));
      expect(report).toEqual({
        imported: 0,
        duplicates: 0,
        errors: [
          { line: 2, field: 'platform', message: expect.any(String) as string },
          { line: 3, field: 'handle', message: 'give a handle or an external_id' },
        ],
      });
    });

    it('takes the CSV as JSON too', async () => {
      const list = await makeList();
      const response = await http()
        .post(`/api/vip-lists/${list.id}/import`)
        .set(await as('admin'))
        .send({ csv: 'platform,external_id\nwebhook,customer-7\n' })
        .expect(200);
      expect(vipImportReportSchema.parse(response.body)).toEqual({ imported: 1, duplicates: 0, errors: [] });
      expect(errorOf((await http().post(`/api/vip-lists/${list.id}/import`).set(await as('admin')).send({ file: 'x' }).expect(400)).body).field).toBe('csv');
    });

    it('refuses a header with an unknown column, naming it, and stores nothing', async () => {
      const list = await makeList();
      const refused = errorOf(await importCsv(list.id, 'platform,handle,followers\nx,alice,100\n', 400));
      expect(refused).toMatchObject({ code: 'invalid', field: 'followers' });
      expect(refused.message).toContain('followers');
      expect(errorOf(await importCsv(list.id, 'handle\nalice\n', 400)).field).toBe('platform');
      expect(errorOf(await importCsv(list.id, '', 400)).field).toBe('csv');
      expect((await listOf(list.id))?.entryCount).toBe(0);
    });

    it('answers 413 past 2 MB or 50,000 lines, naming the limit', async () => {
      const list = await makeList();
      const big = Buffer.alloc(2 * 1024 * 1024 + 1, 'a');
      expect(errorOf(await importCsv(list.id, big, 413))).toMatchObject({ code: 'too_large', message: expect.stringContaining('2 MB') as string });
      const rows = Array.from({ length: 50_001 }, (_, index) => `x,u${index}`).join('\n');
      expect(errorOf(await importCsv(list.id, `platform,handle\n${rows}\n`, 413)).message).toContain('50,000');
      expect((await listOf(list.id))?.entryCount).toBe(0);
    });

    it('answers 404 for a list that does not exist', async () => {
      await importCsv(new Types.ObjectId().toHexString(), 'platform,handle\nx,a\n', 404);
    });
  });

  describe('the matcher', () => {
    it('sees an entry added through the API at once, and forgets one removed', async () => {
      const admin = await as('admin');
      const vip = await makeList({ name: 'Matcher VIPs' });
      const press = await makeList({ name: 'Matcher press', kind: 'press' });
      const identity = { kind: 'x' as const, externalId: '777', handle: '@Zoe_Writes' };
      expect(await vipListingOf([identity])).toEqual({ vip: false, press: false, lists: [] });

      const entry = vipEntrySchema.parse((await http().post(`/api/vip-lists/${vip.id}/entries`).set(admin).send({ platform: 'x', handle: 'zoe_writes' }).expect(201)).body);
      expect(await vipListingOf([identity])).toEqual({ vip: true, press: false, lists: [{ id: vip.id, name: 'Matcher VIPs', kind: 'vip' }] });
      // The handle belongs to X: the same name elsewhere is someone else.
      expect((await vipListingOf([{ ...identity, kind: 'instagram' }])).lists).toEqual([]);

      await importCsv(press.id, 'platform,external_id\nx,777\n');
      expect(await vipListingOf([{ kind: 'x', externalId: '777' }])).toEqual({ vip: false, press: true, lists: [{ id: press.id, name: 'Matcher press', kind: 'press' }] });
      expect((await vipListingOf([identity])).lists.map((list) => list.name)).toEqual(['Matcher press', 'Matcher VIPs']);

      await http().delete(`/api/vip-lists/${vip.id}/entries/${entry.id}`).set(admin).expect(204);
      expect(await vipListingOf([identity])).toMatchObject({ vip: false, press: true });
      await http().delete(`/api/vip-lists/${press.id}`).set(admin).expect(204);
      expect(await vipListingOf([identity])).toEqual({ vip: false, press: false, lists: [] });
    });

    it('costs no database command in the steady state, and sees another process change within seconds', async () => {
      const list = await makeList({ name: 'Steady VIPs' });
      await http().post(`/api/vip-lists/${list.id}/entries`).set(await as('admin')).send({ platform: 'facebook', externalId: 'fb-1' }).expect(201);
      const identity = { kind: 'facebook' as const, externalId: 'fb-1' };
      expect((await vipListingOf([identity])).vip).toBe(true);

      const reads = jest.spyOn(VipEntry, 'find');
      try {
        for (let index = 0; index < 200; index += 1) expect((await vipListingOf([identity])).vip).toBe(true);
        expect(reads).not.toHaveBeenCalled();
      } finally {
        reads.mockRestore();
      }

      // Another process (a worker) writes and bumps the version: this one reloads at its next look.
      await VipEntry.create({ listId: new Types.ObjectId(list.id), platform: 'facebook', key: 'id:fb-2', externalId: 'fb-2' });
      const { config } = parley();
      const redis = new Redis(config.REDIS_URL);
      try {
        await redis.incr(vipListsVersionKey(config.QUEUE_PREFIX));
      } finally {
        redis.disconnect();
      }
      await eventually(() => vipListingOf([{ kind: 'facebook', externalId: 'fb-2' }]), (listing) => listing.vip, 'the entry another process added', 5_000);
    });
  });
});
