import { SlaPolicy } from '../../backend/src/sla/sla-policy.model';
import { makeSimulatorChannel, makeSimulatorEvent, makeTeam, makeUser } from '../../backend/src/test/factories';
import { screenshotPath } from './browser';
import { useWebApp } from './session';

const app = useWebApp();

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const targets = (first: number, next: number, resolution: number) => ({ firstResponseMinutes: first, nextResponseMinutes: next, resolutionMinutes: resolution });

describe('SLA countdowns in the inbox', () => {
  it('count down in the list, turn red live when a target is missed, and show every clock in the conversation', async () => {
    await SlaPolicy.create({ name: 'Social care', targets: { urgent: targets(15, 10, 120), high: targets(30, 20, 240), normal: targets(60, 30, 480), low: targets(240, 120, 1_440) } });
    const team = await makeTeam('SLA care');
    const agent = await makeUser({ name: 'Sam Agent', teamIds: [team._id] });
    const channel = await makeSimulatorChannel({ teamId: team._id });
    const page = await app.signedInPage(agent.email, '/inbox/unassigned');

    // Written 90 minutes ago (first reply due an hour after), 5 minutes ago, and 59 minutes 52 seconds ago (due in 8 s);
    // all three of normal priority for triage (a standard author, nothing urgent in the words).
    await app.deliver(channel, makeSimulatorEvent({ text: 'A question about the order I placed last week', at: ago(90 * 60_000), author: { id: 'late', name: 'Lee Late' } }));
    await app.deliver(channel, makeSimulatorEvent({ text: 'Is the store open on Sunday?', at: ago(5 * 60_000), author: { id: 'fresh', name: 'Fay Fresh' } }));
    await app.deliver(channel, makeSimulatorEvent({ text: 'Can I change the delivery address of my parcel?', at: ago(59 * 60_000 + 52_000), author: { id: 'edge', name: 'Eddie Edge' } }));

    const badge = (name: string) => page.locator('.ticket-row', { hasText: name }).getByTestId('sla-badge');
    await badge('Lee Late').waitFor();
    expect(await badge('Lee Late').getAttribute('class')).toContain('sla-breached');
    expect(await badge('Lee Late').textContent()).toMatch(/First reply overdue by 30m/);
    expect(await badge('Fay Fresh').getAttribute('class')).toContain('sla-ok');
    expect(await badge('Fay Fresh').textContent()).toMatch(/First reply due in 5\dm/);
    expect(await badge('Eddie Edge').getAttribute('class')).toContain('sla-warning');

    // The server's breach timer fires at the due time; the row turns red without a reload.
    await page.locator('.ticket-row', { hasText: 'Eddie Edge' }).locator('.sla-breached').waitFor({ timeout: 20_000 });

    // "SLA due soonest" puts what is most overdue first; the order stays in the URL when a ticket opens.
    await page.getByLabel('Sort').selectOption('slaDueAt');
    await page.waitForURL('**/inbox/unassigned?sort=slaDueAt');
    const authors = () => page.locator('.ticket-row .ticket-author').allTextContents();
    for (let tries = 0; (await authors()).join() !== 'Lee Late,Eddie Edge,Fay Fresh' && tries < 50; tries++) await page.waitForTimeout(100);
    expect(await authors()).toEqual(['Lee Late', 'Eddie Edge', 'Fay Fresh']);

    await page.locator('.ticket-row', { hasText: 'Fay Fresh' }).click();
    await page.waitForURL('**/tickets/*?sort=slaDueAt');
    const clocks = page.getByRole('region', { name: 'SLA' });
    await clocks.getByText(/due in 5\dm/).waitFor();
    expect(await clocks.locator('[data-metric="resolution"]').textContent()).toMatch(/due in 7h 5\dm/);
    const composer = page.getByRole('textbox', { name: 'Reply', exact: true });
    await composer.fill('We are open 10:00–16:00 on Sundays.');
    await composer.press('Control+Enter');
    await clocks.locator('[data-metric="firstResponse"][data-state="met"]').waitFor();
    expect(await clocks.locator('[data-metric="firstResponse"]').textContent()).toMatch(/met, 5\dm to spare/);
    expect(await badge('Fay Fresh').textContent()).toMatch(/Resolution due in 7h/);
    await page.screenshot({ path: screenshotPath('inbox-sla') });
  });
});
