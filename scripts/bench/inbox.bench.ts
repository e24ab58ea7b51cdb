/**
 * The agents' inbox in Debian's Chromium with many tickets: time until the first rows
 * of the list are on screen (a performance mark the app sets), time to page through
 * every ticket by scrolling, and frame times while scrolling the virtualized list.
 */
import path from 'node:path';
import mongoose, { Types } from 'mongoose';
import { chromium } from 'playwright-core';
import { z } from 'zod';
import { benchConfig } from './config';
import { Contact } from '../../backend/src/contacts/contact.model';
import { syncIndexes } from '../../backend/src/db/mongo';
import { ensurePushdownIndexes } from '../../backend/src/db/ferretdb-postgres';
import { createLogger } from '../../backend/src/logger';
import { startParley } from '../../backend/src/server';
import { slaFields } from '../../backend/src/sla/sla.service';
import { clocksForNewTicket } from '@parley/common';
import { Ticket, assigneeFields, priorityRank } from '../../backend/src/tickets/ticket.model';
import { hashPassword } from '../../backend/src/users/auth.service';
import { Team } from '../../backend/src/users/team.model';
import { User } from '../../backend/src/users/user.model';
import { repoRoot } from '../provision/paths';
import { summary } from './stats';

const TICKETS = Number(process.env.BENCH_INBOX_TICKETS ?? 5_000);
const LOADS = Number(process.env.BENCH_INBOX_LOADS ?? 5);
const PASSWORD = 'bench password 123';
const frameSchema = z.object({ deltas: z.array(z.number()), rows: z.number() });
/** The mark frontend/src/inbox/ticket-list.tsx sets (FIRST_ROWS_MARK). */
const FIRST_ROWS_MARK = 'parley:inbox-first-rows';

export interface InboxBench {
  tickets: number;
  firstRowsMs: ReturnType<typeof summary>;
  /** Of which the first page of GET /api/tickets took. */
  firstPageApiMs: ReturnType<typeof summary>;
  loadAllPagesMs: number;
  rowsInDom: number;
  scrollFrameMs: ReturnType<typeof summary> & { max: number; over50ms: number };
}

async function seed(teamId: Types.ObjectId, channelId: Types.ObjectId): Promise<void> {
  const contacts = await Contact.insertMany(
    Array.from({ length: 500 }, (_, n) => ({
      name: `Customer ${n}`,
      identities: [{ kind: 'simulator', externalId: `bench-${n}`, handle: `customer_${n}`, followers: n * 97, verified: n % 50 === 0 }],
      tags: [],
    })),
  );
  const priorities = ['low', 'normal', 'normal', 'high', 'urgent'] as const;
  const benchTargets = { firstResponseMinutes: 60, nextResponseMinutes: 30, resolutionMinutes: 1_440 };
  const now = Date.now();
  for (let offset = 0; offset < TICKETS; offset += 1000) {
    const batch = Array.from({ length: Math.min(1000, TICKETS - offset) }, (_, i) => {
      const n = offset + i;
      const priority = priorities[n % priorities.length] ?? 'normal';
      return {
        number: 1_000_000 + n,
        subject: `Seeded ticket ${n}`,
        status: n % 4 === 0 ? 'new' : 'open',
        priority,
        priorityRank: priorityRank(priority),
        channelId,
        channelKind: 'simulator',
        origin: n % 3 === 0 ? 'private' : 'public',
        contactId: contacts[n % contacts.length]?._id,
        teamId,
        ...assigneeFields(null),
        tags: [],
        unreadCount: n % 3,
        messageCount: 1 + (n % 5),
        lastMessageAt: new Date(now - n * 1000),
        lastMessagePreview: `Where is my order #A${n}? It was due yesterday and I have heard nothing since.`,
        // Every row shows an SLA countdown, as under a policy: an hour for the first reply, a day to resolve.
        ...slaFields({ policyId: null, policyName: 'Bench', businessHoursId: null, ...clocksForNewTicket(new Date(now - n * 1000), { targets: benchTargets, hours: null }) }),
        createdAt: new Date(now - n * 1000),
        updatedAt: new Date(now - n * 1000),
      };
    });
    await Ticket.collection.insertMany(batch, { ordered: false });
  }
}

export async function benchInbox(mongoUri: string, redisUrl: string, ferretPostgresUrl: string | undefined): Promise<InboxBench> {
  const config = benchConfig('benchinbox', mongoUri, redisUrl, ferretPostgresUrl, { WEB_DIST_DIR: path.join(repoRoot, 'frontend', 'dist') });
  const parley = await startParley(config, ['api', 'web'], createLogger(config));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    await mongoose.connection.dropDatabase();
    await syncIndexes();
    if (ferretPostgresUrl) await ensurePushdownIndexes(ferretPostgresUrl, createLogger(config));
    const team = await Team.create({ name: 'Bench inbox' });
    const email = 'bench-inbox@example.test';
    await User.create({ email, name: 'Bench Agent', role: 'agent', teamIds: [team._id], passwordHash: await hashPassword(PASSWORD) });
    await seed(team._id, new Types.ObjectId());
    const base = `http://127.0.0.1:${parley.port}`;

    // The page scripts below are strings, which the app's CSP (no eval) would refuse.
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.getByLabel('Work email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/inbox/mine');

    // Time to first rows: a fresh load of the busiest shared view, several times.
    const firstRows: number[] = [];
    const firstPageApi: number[] = [];
    for (let run = 0; run < LOADS; run++) {
      await page.goto(`${base}/inbox/open`);
      await page.waitForFunction(`performance.getEntriesByName('${FIRST_ROWS_MARK}').length > 0`);
      firstRows.push(z.number().parse(await page.evaluate(`performance.getEntriesByName('${FIRST_ROWS_MARK}')[0].startTime`)));
      // How much of it is the first GET /api/tickets (request to last byte).
      firstPageApi.push(z.number().parse(await page.evaluate(`(() => { const entry = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/tickets?')); return entry ? entry.responseEnd - entry.startTime : -1; })()`)));
    }

    // Page through everything by scrolling to the end until the list stops growing.
    // (The page scripts are strings: this project is typed for Node, without the DOM.)
    const started = Date.now();
    await page.waitForFunction(
      `(() => {
        const list = document.querySelector('.ticket-list-scroll');
        if (!list) return false;
        list.scrollTop = list.scrollHeight;
        const last = document.querySelector('.ticket-list-item:last-child');
        return Number(last ? last.getAttribute('aria-posinset') : 0) >= ${TICKETS};
      })()`,
      undefined,
      { timeout: 600_000, polling: 100 },
    );
    const loadAllPagesMs = Date.now() - started;

    // Scroll from the top to the bottom of all rows, 120 px a frame, recording frame times.
    const frames = frameSchema.parse(
      await page.evaluate(`(async () => {
        const list = document.querySelector('.ticket-list-scroll');
        list.scrollTop = 0;
        const deltas = [];
        let rows = 0;
        await new Promise((resolve) => {
          let previous = performance.now();
          const step = (now) => {
            deltas.push(now - previous);
            previous = now;
            rows = Math.max(rows, document.querySelectorAll('.ticket-list-item').length);
            if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1) return resolve();
            list.scrollTop += 120;
            requestAnimationFrame(step);
          };
          requestAnimationFrame(step);
        });
        return { deltas: deltas.slice(1), rows };
      })()`),
    );
    await context.close();
    return {
      tickets: TICKETS,
      firstRowsMs: summary(firstRows),
      firstPageApiMs: summary(firstPageApi),
      loadAllPagesMs,
      rowsInDom: frames.rows,
      scrollFrameMs: { ...summary(frames.deltas), max: Math.max(...frames.deltas), over50ms: frames.deltas.filter((delta) => delta > 50).length },
    };
  } finally {
    await browser.close();
    await parley.stop();
  }
}
