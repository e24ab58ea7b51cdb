import { makeSimulatorChannel, makeSimulatorEvent, makeTeam, makeUser } from '../../backend/src/test/factories';
import { screenshotPath } from './browser';
import { useWebApp } from './session';

const app = useWebApp();
const { url } = app;

describe('the emoji picker in the composer', () => {
  it('searches, inserts at the caret, puts recent emoji first, works from the keyboard and closes with Escape', async () => {
    const team = await makeTeam('Emoji');
    const agent = await makeUser({ name: 'Emma Agent', teamIds: [team._id] });
    const channel = await makeSimulatorChannel({ teamId: team._id });
    await app.deliver(channel, makeSimulatorEvent({ kind: 'mention', text: 'my parcel finally arrived', author: { id: 'cust-emoji', name: 'Pat Parcel' } }));

    const page = await app.signedInPage(agent.email, '/inbox/unassigned');
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.locator('.ticket-row', { hasText: 'Pat Parcel' }).click();
    await page.waitForURL('**/tickets/*');
    const composer = page.getByRole('textbox', { name: 'Reply', exact: true });
    const toggle = page.getByRole('button', { name: 'Insert emoji' });
    const picker = page.getByRole('dialog', { name: 'Emoji' });
    // The picker's search, named for screen readers, holding the focus.
    const focusedSearch = picker.getByLabel('Search emoji by name or keyword').and(page.locator(':focus'));

    // The caret sits between "Great news" and "!" when the agent opens the picker.
    await composer.fill('Great news!');
    await composer.press('End');
    await composer.press('ArrowLeft');
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');
    await toggle.click();
    await picker.waitFor();
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true');
    await expect(toggle.getAttribute('aria-controls')).resolves.toBe(await picker.getAttribute('id'));
    // Focus goes into the search, so the agent can type at once.
    await focusedSearch.waitFor();
    await page.keyboard.type('thumbs');
    const thumbsUp = picker.getByRole('gridcell', { name: /thumbs up/i }).first();
    await thumbsUp.waitFor();
    await expect(picker.getByRole('gridcell', { name: /party popper/i }).count()).resolves.toBe(0);
    await page.screenshot({ path: screenshotPath('composer-emoji-search') });
    await thumbsUp.click();

    // 👍 lands at the caret, the picker closes, and typing goes on right after the emoji.
    await picker.waitFor({ state: 'detached' });
    await expect(composer.inputValue()).resolves.toBe('Great news👍!');
    await page.keyboard.type(' ');
    await expect(composer.inputValue()).resolves.toBe('Great news👍 !');
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');

    // Opened again, the emoji just used comes first; a search from the keyboard alone inserts 🎉.
    await toggle.click();
    await picker.waitFor();
    await expect(picker.getByText('Recently used', { exact: true }).isVisible()).resolves.toBe(true);
    const firstCell = picker.getByRole('gridcell').first();
    await expect(firstCell.getAttribute('aria-label')).resolves.toMatch(/thumbs up/i);
    await page.screenshot({ path: screenshotPath('composer-emoji-recent') });
    await focusedSearch.waitFor();
    await page.keyboard.type('party popper');
    await picker.getByRole('gridcell', { name: /party popper/i }).first().waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'detached' });
    await expect(composer.inputValue()).resolves.toBe('Great news👍 🎉!');

    // The first Escape clears a search; the next closes the picker and hands focus back to the reply.
    // Nothing was sent by the Enter above.
    await toggle.click();
    await picker.waitFor();
    await focusedSearch.waitFor();
    await page.keyboard.type('cat');
    await page.keyboard.press('Escape');
    await expect(focusedSearch.inputValue()).resolves.toBe('');
    await expect(picker.isVisible()).resolves.toBe(true);
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'detached' });
    await expect(page.locator('.composer textarea:focus').count()).resolves.toBe(1);
    await expect(composer.inputValue()).resolves.toBe('Great news👍 🎉!');
    await expect(page.locator('.message-outbound').count()).resolves.toBe(0);

    // Everything the picker needed came from our own origin: no CDN.
    const origin = new URL(url('')).origin;
    expect(requests.filter((request) => !request.startsWith(origin) && !request.startsWith('data:') && !request.startsWith('ws:'))).toEqual([]);
  });
});
