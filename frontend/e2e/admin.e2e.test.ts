import { makeSimulatorChannel, makeUser } from '../../backend/src/test/factories';
import { Channel } from '../../backend/src/channels/channel.model';
import { screenshotPath } from './browser';
import { useWebApp } from './session';

const app = useWebApp(['api', 'web']);

describe('the admin area', () => {
  it('is in the header for admins, lists the channels with their state and webhook address, and is not offered to agents', async () => {
    const working = await makeSimulatorChannel();
    const broken = await makeSimulatorChannel();
    await Channel.updateOne({ _id: broken._id }, { $set: { status: 'needs_reauth', statusReason: 'The access token was revoked' } });
    const admin = await makeUser({ role: 'admin' });

    const page = await app.signedInPage(admin.email, '/inbox/mine');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.waitForURL('**/admin/channels');
    await page.getByRole('heading', { name: 'Channels' }).waitFor();
    const rows = page.getByRole('row');
    await expect(rows.filter({ hasText: working.name }).textContent()).resolves.toContain('Working');
    await expect(rows.filter({ hasText: broken.name }).textContent()).resolves.toMatch(/Needs reconnecting — The access token was revoked/);
    await expect(rows.filter({ hasText: working.name }).textContent()).resolves.toContain(`/webhooks/simulator/${working._id.toHexString()}`);
    await page.screenshot({ path: screenshotPath('admin-channels') });

    const agent = await makeUser({ role: 'agent' });
    const agentPage = await app.signedInPage(agent.email, '/inbox/mine');
    await expect(agentPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).count()).resolves.toBe(0);
    await agentPage.goto(app.url('/admin/channels'));
    await agentPage.waitForURL('**/inbox/mine');
  });
});
