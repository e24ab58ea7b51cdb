import { Types } from 'mongoose';
import { makeUser } from '../../backend/src/test/factories';
import { VipEntry } from '../../backend/src/triage/vip-lists.model';
import { screenshotPath } from './browser';
import { useWebApp } from './session';

const app = useWebApp(['api', 'web']);

const csv = [
  'platform,handle,display_name,note',
  'x,@ada_reports,Ada Reports,"Tech desk, Daily Planet"',
  'instagram,,Nobody,',
  'myspace,tom,Tom,',
  'facebook,grace.h,Grace Hopper,',
  '',
].join('\n');

describe('VIP lists in the admin area', () => {
  it('lets a supervisor make a press list, import a CSV with bad lines and see the report, add and remove an entry', async () => {
    const supervisor = await makeUser({ role: 'supervisor' });
    const page = await app.signedInPage(supervisor.email, '/admin/vip-lists');
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'VIP lists' }).waitFor();
    await page.getByText('No list yet.').waitFor();

    // An empty name is refused, next to the field.
    await page.getByRole('button', { name: 'Create list' }).click();
    await page.getByRole('alert').getByText('Must not be empty').waitFor();
    await expect(page.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');

    await page.getByLabel('Name', { exact: true }).fill('Tech press');
    await page.getByLabel('Kind').selectOption('press');
    await page.getByRole('button', { name: 'Create list' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Tech press' });
    await expect(row.textContent()).resolves.toMatch(/Tech press\s*Press\s*0/);
    await row.getByRole('link', { name: 'Tech press' }).click();
    await page.waitForURL(/\/admin\/vip-lists\/[a-f0-9]{24}$/);
    const listId = page.url().split('/').pop() ?? '';
    await page.getByRole('heading', { name: 'Tech press' }).waitFor();

    await page.getByLabel('CSV file').setInputFiles({ name: 'press.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const report = page.getByRole('region', { name: 'Import report' });
    await report.getByText('2 imported').waitFor();
    await report.getByRole('listitem').filter({ hasText: '2 bad lines' }).waitFor();
    const badRows = report.getByRole('table', { name: 'Bad lines' }).getByRole('row');
    await expect(badRows.nth(1).textContent()).resolves.toMatch(/^3\s*handle\s*Give a handle or an external_id$/);
    await expect(badRows.nth(2).textContent()).resolves.toMatch(/^4\s*platform\s*"myspace" is not a platform/);
    const entries = page.getByRole('region', { name: 'Entries' });
    await entries.getByRole('row').filter({ hasText: '@ada_reports' }).waitFor();
    await expect(entries.getByRole('row').filter({ hasText: '@ada_reports' }).textContent()).resolves.toContain('Tech desk, Daily Planet');
    await page.getByText('2 entries', { exact: true }).waitFor();
    await report.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('vip-list-import-report') });

    // One added by hand: the same account again is refused beside the handle.
    await page.getByLabel('Platform', { exact: true }).selectOption('x');
    await page.getByLabel('Handle', { exact: true }).fill('ADA_reports');
    await page.getByRole('button', { name: 'Add entry' }).click();
    await page.getByRole('alert').getByText('This account is on the list already').waitFor();
    await expect(page.getByLabel('Handle', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');
    await page.getByRole('heading', { name: 'Add an entry' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('vip-list-entry-error') });
    await page.getByLabel('Handle', { exact: true }).fill('@lin_writes');
    await page.getByRole('button', { name: 'Add entry' }).click();
    await page.getByRole('status').getByText('@lin_writes added.').waitFor();
    await entries.getByRole('row').filter({ hasText: '@lin_writes' }).waitFor();

    await entries.getByRole('searchbox', { name: 'Search handles, ids and names' }).fill('grace');
    await entries.getByRole('searchbox').press('Enter');
    const remove = entries.getByRole('button', { name: 'Remove @grace.h' });
    await remove.waitFor();
    await expect(entries.getByRole('row').count()).resolves.toBe(2);
    await remove.click();
    await entries.getByText('No entry matches.').waitFor();
    await page.getByText('2 entries', { exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Entries' }).scrollIntoViewIfNeeded();
    await entries.getByRole('searchbox').fill('');
    await entries.getByRole('searchbox').press('Enter');
    await entries.getByRole('button', { name: 'Remove @lin_writes' }).waitFor();
    await entries.screenshot({ path: screenshotPath('vip-list-entries') });
    expect((await VipEntry.find({ listId: new Types.ObjectId(listId) }).lean()).map((entry) => entry.handle).sort()).toEqual(['ada_reports', 'lin_writes']);

    // Rename and delete from the lists, the deletion after a confirmation.
    await page.getByRole('link', { name: 'All VIP lists' }).click();
    await page.getByRole('button', { name: 'Rename Tech press' }).click();
    await page.getByLabel('New name for Tech press').fill('Tech & gaming press');
    await page.getByLabel('New name for Tech press').press('Enter');
    await page.getByRole('link', { name: 'Tech & gaming press' }).waitFor();
    await page.screenshot({ path: screenshotPath('vip-lists') });
    await page.getByRole('button', { name: 'Delete Tech & gaming press' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete this list?' });
    await confirm.getByText('“Tech & gaming press” and its 2 entries will be removed.', { exact: false }).waitFor();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No list yet.').waitFor();
    await expect(VipEntry.countDocuments({ listId: new Types.ObjectId(listId) })).resolves.toBe(0);
  });
});
