import { makeTeam, makeTicket, makeUser } from '../../backend/src/test/factories';
import { screenshotPath } from './browser';
import { useWebApp } from './session';

const { signedInPage, url } = useWebApp(['api', 'web']);

describe('saved filters', () => {
  it('lets an agent filter the inbox, save the filter under a name and open it again after a reload', async () => {
    const team = await makeTeam('Saved');
    const agent = await makeUser({ name: 'Frankie Filter', teamIds: [team._id] });
    await makeTicket({ teamId: team._id, subject: 'Urgent refund', priority: 'urgent', status: 'open' });
    await makeTicket({ teamId: team._id, subject: 'Urgent outage', priority: 'urgent', status: 'new', tags: ['vip'] });
    await makeTicket({ teamId: team._id, subject: 'Normal question', priority: 'normal', status: 'open', tags: ['vip'] });
    await makeTicket({ teamId: team._id, subject: 'Urgent but solved', priority: 'urgent', status: 'solved' });

    const page = await signedInPage(agent.email, '/inbox/open');
    await page.locator('.ticket-row', { hasText: 'Normal question' }).waitFor();

    // Filter opens a panel with the focus in it; the agent narrows All open to urgent tickets.
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await expect(page.locator('.filter-panel :focus').count()).resolves.toBe(1);
    await page.getByLabel('Priority').selectOption('urgent');
    await page.screenshot({ path: screenshotPath('inbox-filter-panel') });
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL('**/inbox/open?priority=urgent');
    await page.locator('.ticket-row', { hasText: 'Normal question' }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Filter (1)' }).waitFor();

    // Save as filter asks a name; an agent cannot share it.
    await page.getByRole('button', { name: 'Save as filter' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save as filter' });
    await dialog.getByLabel('Name').fill('Urgent ones');
    await expect(dialog.getByLabel('Share with the team').count()).resolves.toBe(0);
    await dialog.getByLabel('Name').press('Enter');
    await page.waitForURL(/\/inbox\/saved-[a-f0-9]{24}$/);
    const savedPath = new URL(page.url()).pathname;
    await page.getByRole('heading', { level: 1, name: 'Urgent ones' }).waitFor();
    await expect(page.locator('#list-title:focus').count()).resolves.toBe(1);
    const navLink = page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Urgent ones' });
    await expect(navLink.getAttribute('aria-current')).resolves.toBe('page');

    const rowsOf = async () => (await page.locator('.ticket-row').allInnerTexts()).map((row) => (/Urgent refund|Urgent outage|Normal question|Urgent but solved/.exec(row) ?? [''])[0]).sort();
    await page.locator('.ticket-row', { hasText: 'Urgent outage' }).waitFor();
    await expect(rowsOf()).resolves.toEqual(['Urgent outage', 'Urgent refund']);
    await page.screenshot({ path: screenshotPath('inbox-saved-filter') });

    // After a reload the saved filter is still in the left pane and opens to the same tickets.
    await page.goto(url('/inbox/mine'));
    await navLink.click();
    await page.waitForURL(`**${savedPath}`);
    await page.getByRole('heading', { level: 1, name: 'Urgent ones' }).waitFor();
    await page.locator('.ticket-row', { hasText: 'Urgent refund' }).waitFor();
    await expect(rowsOf()).resolves.toEqual(['Urgent outage', 'Urgent refund']);

    // Narrowed further, the filter can take the narrowing in: it becomes part of the saved filter.
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.getByLabel('Tag').fill('vip');
    await page.getByLabel('Tag').press('Enter');
    await page.waitForURL(`**${savedPath}?tag=vip`);
    await page.getByRole('button', { name: 'Update “Urgent ones”' }).click();
    await page.getByText('Saved filter “Urgent ones” updated.').waitFor();
    await page.waitForURL(`**${savedPath}`);
    await page.reload();
    await page.locator('.ticket-row', { hasText: 'Urgent outage' }).waitFor();
    await expect(rowsOf()).resolves.toEqual(['Urgent outage']);

    // The same name again is refused next to the name field; another name saves.
    await page.getByRole('link', { name: 'All open' }).click();
    await page.locator('.ticket-row', { hasText: 'Normal question' }).waitFor();
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.getByLabel('Tag').fill('vip');
    await page.getByLabel('Tag').press('Enter');
    await page.waitForURL('**/inbox/open?tag=vip');
    await page.locator('.ticket-row', { hasText: 'Urgent refund' }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Save as filter' }).click();
    await dialog.getByLabel('Name').fill('Urgent ones');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('You already have a saved filter with this name.').waitFor();
    await page.screenshot({ path: screenshotPath('inbox-save-filter-taken') });
    await expect(dialog.getByLabel('Name').getAttribute('aria-invalid')).resolves.toBe('true');
    await dialog.getByLabel('Name').fill('VIPs');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { level: 1, name: 'VIPs' }).waitFor();
    await page.locator('.ticket-row', { hasText: 'Normal question' }).waitFor();
    await expect(rowsOf()).resolves.toEqual(['Normal question', 'Urgent outage']);

    // A taken name is refused next to the field when renaming too; a free one renames it where it is listed and shown.
    await page.getByRole('button', { name: 'Rename saved filter VIPs' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename this saved filter' });
    await rename.getByLabel('Name').fill('Urgent ones');
    await rename.getByRole('button', { name: 'Rename' }).click();
    await rename.getByText('You already have a saved filter with this name').waitFor();
    await rename.getByLabel('Name').fill('VIP customers');
    await rename.getByRole('button', { name: 'Rename' }).click();
    await page.getByRole('heading', { level: 1, name: 'VIP customers' }).waitFor();
    await page.getByRole('link', { name: 'VIP customers' }).waitFor();

    // The agent deletes their own filter, after confirming; the inbox goes back to Mine.
    await page.getByRole('button', { name: 'Delete saved filter VIP customers' }).click();
    await page.getByRole('alertdialog', { name: 'Delete this saved filter?' }).getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL('**/inbox/mine');
    await page.getByRole('link', { name: 'VIP customers' }).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Urgent ones' }).waitFor();
  });

  it('lets a supervisor share a filter that agents see marked as shared but cannot delete', async () => {
    const team = await makeTeam('Shared');
    const supervisor = await makeUser({ role: 'supervisor', name: 'Sasha Supervisor', teamIds: [team._id] });
    const agent = await makeUser({ name: 'Avery Agent', teamIds: [team._id] });
    await makeTicket({ teamId: team._id, subject: 'Pending high', priority: 'high', status: 'pending' });

    const page = await signedInPage(supervisor.email, '/inbox/pending?q=pending');
    await page.locator('.ticket-row', { hasText: 'Pending high' }).waitFor();
    await page.getByRole('button', { name: 'Save as filter' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save as filter' });
    await dialog.getByLabel('Name').fill('Team pending');
    await dialog.getByLabel('Share with the team').check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { level: 1, name: 'Team pending' }).waitFor();

    const other = await signedInPage(agent.email, '/inbox/mine');
    const link = other.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: /Team pending/ });
    await expect(link.textContent()).resolves.toContain('Shared');
    await expect(other.getByRole('button', { name: 'Delete saved filter Team pending' }).count()).resolves.toBe(0);
    await expect(other.getByRole('button', { name: 'Rename saved filter Team pending' }).count()).resolves.toBe(0);
    await link.click();
    await other.locator('.ticket-row', { hasText: 'Pending high' }).waitFor();
  });
});
