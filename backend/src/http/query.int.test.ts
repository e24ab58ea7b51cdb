import request from 'supertest';
import { errorBodySchema } from '@parley/common';
import { TEST_CREDENTIALS_KEY, TEST_PASSWORD, makeContact, makeSimulatorChannel, makeTeam, makeTicket, makeUser } from '../test/factories';
import { httpServer, testLog, useParley } from '../test/harness';
import { VipList } from '../triage/vip-lists.model';
import { Rule } from '../workflows/rule.model';
import { createApp } from './app';

const parley = useParley(['api'], { CREDENTIALS_KEY: TEST_CREDENTIALS_KEY });
const http = () => request(httpServer(parley()));

interface Fixture {
  ticketId: string;
  contactId: string;
  channelId: string;
  teamId: string;
  messageCursor: string;
  ruleId: string;
  vipListId: string;
}

/**
 * Every GET of the API, with the queries the frontend (frontend/src/api/*.ts) and the
 * documented contract send. Each path is a pattern as the router registers it.
 */
const endpoints: { route: string; path: (f: Fixture) => string; valid: (f: Fixture) => string[] }[] = [
  { route: '/api/me', path: () => '/api/me', valid: () => [''] },
  {
    route: '/api/tickets',
    path: () => '/api/tickets',
    valid: (f) => [
      '',
      'status=new%2Copen&limit=50',
      `status=open&priority=urgent&assignee=me&teamId=${f.teamId}&channelId=${f.channelId}&tag=refund&q=order&sort=slaDueAt&limit=50`,
      'assignee=none&sort=priority',
    ],
  },
  { route: '/api/tickets/:id', path: (f) => `/api/tickets/${f.ticketId}`, valid: () => [''] },
  { route: '/api/tickets/:id/messages', path: (f) => `/api/tickets/${f.ticketId}/messages`, valid: (f) => ['', 'limit=200', `limit=200&cursor=${f.messageCursor}`] },
  { route: '/api/contacts/:id', path: (f) => `/api/contacts/${f.contactId}`, valid: () => [''] },
  // The media proxy's answers (the files) are media.int.test.ts's; here only their queries.
  { route: '/api/contacts/:id/avatar', path: (f) => `/api/contacts/${f.contactId}/avatar`, valid: () => [] },
  { route: '/api/tickets/:id/messages/:messageId/attachments/:index', path: (f) => `/api/tickets/${f.ticketId}/messages/${f.messageCursor}/attachments/0`, valid: () => [] },
  { route: '/api/canned-responses', path: () => '/api/canned-responses', valid: () => [''] },
  { route: '/api/saved-views', path: () => '/api/saved-views', valid: () => [''] },
  { route: '/api/sla-policies', path: () => '/api/sla-policies', valid: () => [''] },
  { route: '/api/business-hours', path: () => '/api/business-hours', valid: () => [''] },
  { route: '/api/raw-events', path: () => '/api/raw-events', valid: (f) => ['', 'status=failed', `status=pending&channelId=${f.channelId}&limit=10`] },
  { route: '/api/channels', path: () => '/api/channels', valid: () => [''] },
  { route: '/api/channels/:id', path: (f) => `/api/channels/${f.channelId}`, valid: () => [''] },
  { route: '/api/guardrails', path: () => '/api/guardrails', valid: () => [''] },
  { route: '/api/tickets/:id/guardrails', path: (f) => `/api/tickets/${f.ticketId}/guardrails`, valid: () => [''] },
  { route: '/api/channels/:id/hashtags', path: (f) => `/api/channels/${f.channelId}/hashtags`, valid: () => ['', 'tags=notguilty', 'tags=%23NotGuilty%2Csale'] },
  { route: '/api/approvals', path: () => '/api/approvals', valid: () => [''] },
  { route: '/api/teams', path: () => '/api/teams', valid: () => [''] },
  { route: '/api/rules', path: () => '/api/rules', valid: () => [''] },
  { route: '/api/rules/options', path: () => '/api/rules/options', valid: () => [''] },
  { route: '/api/rules/:id', path: (f) => `/api/rules/${f.ruleId}`, valid: () => [''] },
  { route: '/api/alerts', path: () => '/api/alerts', valid: () => ['', 'state=active', 'state=over&limit=10'] },
  { route: '/api/ambassadors', path: () => '/api/ambassadors', valid: () => ['', 'days=7&limit=10'] },
  { route: '/api/triage-settings', path: () => '/api/triage-settings', valid: () => [''] },
  { route: '/api/vip-lists', path: () => '/api/vip-lists', valid: () => [''] },
  { route: '/api/bot/answers', path: () => '/api/bot/answers', valid: () => [''] },
  {
    route: '/api/reports/response-times',
    path: () => '/api/reports/response-times',
    valid: () => ['from=2026-11-01&to=2026-11-30&groupBy=day', 'from=2026-11-01&to=2026-11-30&tz=Europe%2FParis&groupBy=team&format=csv'],
  },
  { route: '/api/bot/stats', path: () => '/api/bot/stats', valid: () => ['', `from=${encodeURIComponent('2026-11-24T00:00:00.000Z')}&to=${encodeURIComponent('2026-12-01T00:00:00.000Z')}`] },
  {
    route: '/api/vip-lists/:id/entries',
    path: (f) => `/api/vip-lists/${f.vipListId}/entries`,
    valid: (f) => ['', 'limit=50', 'q=alice&limit=50', `q=alice&cursor=${f.messageCursor}&limit=50`],
  },
];

/** The GET routes the app registers under /api, read from express's router. */
function registeredGetRoutes(): string[] {
  const { config, redis, queues, events, locks } = parley();
  const app = createApp({ config, log: testLog(), redis, queues, events, locks, probes: { mongo: () => Promise.resolve(true), redis: () => Promise.resolve(true) }, databaseConnected: () => true, serveApi: true, serveWeb: false });
  const found: string[] = [];
  const walk = (router: unknown, prefix: string) => {
    const stack = (router as { stack?: unknown } | undefined)?.stack;
    if (!Array.isArray(stack)) return;
    for (const layer of stack as { route?: { path?: unknown; methods?: Record<string, boolean> }; rawPath?: unknown; handle?: unknown }[]) {
      if (layer.route && typeof layer.route.path === 'string' && layer.route.methods?.get) found.push(`${prefix}${layer.route.path}`);
      else if (typeof layer.handle === 'function') walk(layer.handle, typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? `${prefix}${layer.rawPath}` : prefix);
    }
  };
  walk(app.router, '');
  return found.filter((route) => route.startsWith('/api/'));
}

describe('query strings of the API', () => {
  let fixture: Fixture;
  let headers: { authorization: string };

  beforeAll(async () => {
    const team = await makeTeam();
    const channel = await makeSimulatorChannel({ teamId: team._id });
    const contact = await makeContact();
    const ticket = await makeTicket({ contactId: contact._id, teamId: team._id, channelId: channel._id });
    fixture = {
      ticketId: ticket._id.toHexString(),
      contactId: contact._id.toHexString(),
      channelId: channel._id.toHexString(),
      teamId: team._id.toHexString(),
      messageCursor: '000000000000000000000000',
      ruleId: (await Rule.create({ name: 'Tag everything', order: 1, triggers: ['message.created'], conditions: { all: [], any: [] }, actions: [{ type: 'add_tag', tag: 'seen' }] }))._id.toHexString(),
      vipListId: (await VipList.create({ name: 'Press', nameKey: 'press', kind: 'press' }))._id.toHexString(),
    };
    const admin = await makeUser({ role: 'admin', teamIds: [team._id] });
    const login = await http().post('/api/auth/login').send({ email: admin.email, password: TEST_PASSWORD }).expect(200);
    headers = { authorization: `Bearer ${(login.body as { token: string }).token}` };
  });

  it('covers every GET route of the API', () => {
    expect(registeredGetRoutes().sort()).toEqual(endpoints.map((endpoint) => endpoint.route).sort());
  });

  describe.each(endpoints)('GET $route', ({ path, valid }) => {
    it.each(['cursor[$gt]=x', 'bogus=1', 'limit[$ne]=1', 'status[$in]=open'])('answers ?%s with 400 naming the key', async (search) => {
      const key = decodeURIComponent(search.slice(0, search.indexOf('=')));
      const response = await http().get(`${path(fixture)}?${search}`).set(headers).expect(400);
      expect(errorBodySchema.parse(response.body).error).toMatchObject({ code: 'invalid', field: key });
    });

    it('answers the queries the frontend sends', async () => {
      for (const search of valid(fixture)) {
        await http().get(`${path(fixture)}${search ? `?${search}` : ''}`).set(headers).expect(200);
      }
    });
  });
});
