import { Channel } from '../../backend/src/channels/channel.model';
import { makeSimulatorChannel, makeSimulatorEvent, makeTeam, makeTicket, makeUser } from '../../backend/src/test/factories';
import { CannedResponse } from '../../backend/src/canned/canned.model';
import { Message } from '../../backend/src/tickets/message.model';
import { Ticket } from '../../backend/src/tickets/ticket.model';
import { User } from '../../backend/src/users/user.model';
import { screenshotPath } from './browser';
import { useWebApp } from './session';
import { eventually } from '../../backend/src/test/eventually';

const { parley, signedInPage, deliver } = useWebApp();

describe('the agent inbox', () => {
  it('shows a webhook ticket live, answers it, shows presence, assigns, tags, solves and keeps drafts', async () => {
    const team = await makeTeam('Care');
    const alex = await makeUser({ name: 'Alex Agent', teamIds: [team._id] });
    const blair = await makeUser({ name: 'Blair Agent', teamIds: [team._id] });
    const channel = await makeSimulatorChannel({ teamId: team._id });
    await Channel.updateOne({ _id: channel._id }, { $set: { 'settings.imitates': 'x' } });

    const page = await signedInPage(alex.email, '/inbox/unassigned');
    let alerted = false;
    page.on('dialog', (dialog) => {
      alerted = true;
      void dialog.dismiss();
    });
    await page.getByRole('heading', { name: 'No conversations yet' }).waitFor();

    // A mention arrives through the signed webhook: it shows in the list without a reload.
    const hostile = '<img src=x onerror=alert(1)> where is my order #A1234?';
    await deliver(channel, makeSimulatorEvent({ kind: 'mention', text: hostile, author: { id: 'cust-1', name: 'Kay Jay', handle: 'kayjay', followers: 125_000, verified: true } }));
    const row = page.locator('.ticket-row', { hasText: 'Kay Jay' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('125K followers');
    await page.screenshot({ path: screenshotPath('inbox-ticket-arrived') });

    // Customer text is text: the markup shows as characters and never runs.
    await row.click();
    await page.waitForURL('**/inbox/unassigned/tickets/*');
    const ticketPath = new URL(page.url()).pathname;
    const customerMessage = page.locator('.message-inbound .message-text');
    await expect(customerMessage.textContent()).resolves.toBe(hostile);
    await expect(page.locator('.thread img').count()).resolves.toBe(0);
    expect(alerted).toBe(false);

    // A second agent opens the same ticket: each sees the other viewing, and typing.
    const other = await signedInPage(blair.email, ticketPath);
    await page.getByText('Blair Agent also viewing').waitFor();
    await other.getByText('Alex Agent also viewing').waitFor();
    await other.getByRole('textbox', { name: 'Reply', exact: true }).pressSequentially('Looking into it');
    await page.getByText('Blair Agent is typing…').waitFor();
    await page.screenshot({ path: screenshotPath('inbox-presence-typing') });

    // The composer defaults to a public reply for a public mention and counts as X does.
    const composer = page.getByRole('textbox', { name: 'Reply', exact: true });
    await expect(page.getByRole('radio', { name: 'Public reply' }).isChecked()).resolves.toBe(true);
    await composer.fill('Hi Kay, checking https://example.com/orders/A1234 now');
    await expect(page.locator('.counter').textContent()).resolves.toContain('/ 280');
    await expect(page.locator('.counter').textContent()).resolves.toMatch(/^44 \//); // 57 characters, but X counts any URL as 23
    await composer.press('Control+Enter');
    const reply = page.locator('.message-outbound', { hasText: 'Hi Kay, checking' });
    await reply.locator('[data-delivery="sent"]').waitFor();
    await expect(composer.inputValue()).resolves.toBe('');

    // Blair opened the ticket before Alex answered: sending asks first, showing Alex's reply.
    await other.getByRole('textbox', { name: 'Reply', exact: true }).fill('Blair here: refund issued');
    await other.getByRole('textbox', { name: 'Reply', exact: true }).press('Control+Enter');
    await expect(other.getByRole('alertdialog').textContent()).resolves.toContain('Hi Kay, checking');
    await other.getByRole('button', { name: 'Send anyway' }).click();
    // And now Alex, who has not seen Blair's reply, is asked too.
    await page.locator('.message-outbound', { hasText: 'Blair here: refund issued' }).waitFor();
    await composer.fill('Anything else I can do?');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const collision = page.getByRole('alertdialog');
    await expect(collision.textContent()).resolves.toContain('Blair here: refund issued');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(composer.inputValue()).resolves.toBe('Anything else I can do?');

    // Assign, tag, solve: shown at once, stored on the server.
    await page.getByRole('button', { name: 'Assign to me' }).click();
    await page.getByText('Assigned to me', { exact: true }).first().waitFor();
    await page.getByLabel('Add tag').fill('vip');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('button', { name: 'Remove tag vip' }).waitFor();
    await page.getByRole('button', { name: 'Solve' }).click();
    await page.getByRole('button', { name: 'Reopen' }).waitFor();
    const ticketId = ticketPath.split('/').pop() ?? '';
    const stored = await eventually(
      () => Ticket.findById(ticketId).lean(),
      (ticket) => ticket?.status === 'solved' && ticket.tags.includes('vip') && ticket.assigneeId?.toHexString() === alex._id.toHexString(),
    );
    expect(stored).toMatchObject({ status: 'solved', tags: ['vip'] });
    // The other agent sees the change live.
    await other.getByRole('button', { name: 'Reopen' }).waitFor();

    // The unsent draft survives a reload.
    await page.reload();
    await expect(page.getByRole('textbox', { name: 'Reply', exact: true }).inputValue()).resolves.toBe('Anything else I can do?');
    await page.screenshot({ path: screenshotPath('inbox-conversation') });

    // A lost connection shows a banner and keeps the draft; on reconnect what changed meanwhile is fetched.
    await Message.updateOne({ text: hostile }, { $set: { text: 'changed while you were away' } });
    parley().io?.disconnectSockets();
    await page.getByText('Connection lost — reconnecting. What you type is kept.').waitFor();
    await page.locator('.message-inbound', { hasText: 'changed while you were away' }).waitFor();
    await page.locator('.banner-disconnected').waitFor({ state: 'detached' });
    await expect(page.getByRole('textbox', { name: 'Reply', exact: true }).inputValue()).resolves.toBe('Anything else I can do?');

    // Keyboard: ? lists the shortcuts (not while typing in a field).
    await page.locator('body').click({ position: { x: 5, y: 200 } });
    await page.keyboard.press('?');
    await page.getByRole('heading', { name: 'Keyboard shortcuts' }).waitFor();
    await page.screenshot({ path: screenshotPath('inbox-shortcuts') });
    expect(alerted).toBe(false);
  });

  it('moves with the keyboard, fills canned responses, retries a failed reply and undoes a refused change', async () => {
    const team = await makeTeam('Social');
    const casey = await makeUser({ name: 'Casey Agent', teamIds: [team._id] });
    const channel = await makeSimulatorChannel({ teamId: team._id });
    await CannedResponse.create({ shortcut: 'hello', title: 'Greeting', text: 'Hi {{first_name}}, I am {{agent_name}}.' });
    await deliver(channel, makeSimulatorEvent({ kind: 'mention', text: 'مرحبا، أين طلبي؟', at: '2026-11-20T09:00:00.000Z', author: { id: 'cust-rtl', name: 'Rana Haddad' } }));
    await deliver(channel, makeSimulatorEvent({ kind: 'dm', text: 'my card number is private', at: '2026-11-20T09:05:00.000Z', author: { id: 'cust-dm', name: 'Dana Moss' } }));
    await eventually(() => Ticket.countDocuments({ channelId: channel._id }), (count) => count === 2);

    const page = await signedInPage(casey.email, '/inbox/open');
    await page.locator('.ticket-row').nth(1).waitFor();

    // j opens the newest ticket (the DM): the composer defaults to a private message.
    await page.keyboard.press('j');
    await page.getByRole('heading', { name: /my card number/ }).waitFor();
    await expect(page.getByRole('radio', { name: 'Private message' }).isChecked()).resolves.toBe(true);
    await page.keyboard.press('j');
    await page.getByRole('heading', { name: /مرحبا/ }).waitFor();
    await expect(page.locator('.message-inbound .message-text').getAttribute('dir')).resolves.toBe('auto');
    await page.keyboard.press('k');
    await page.getByRole('heading', { name: /my card number/ }).waitFor();

    // a assigns to me; n starts a note; / offers canned responses with placeholders filled.
    await page.keyboard.press('a');
    await page.getByRole('button', { name: 'Unassign' }).waitFor();
    await page.keyboard.press('n');
    await expect(page.getByRole('radio', { name: 'Internal note' }).isChecked()).resolves.toBe(true);
    const composer = page.getByRole('textbox', { name: 'Reply', exact: true });
    await expect(page.locator('.composer textarea:focus').count()).resolves.toBe(1);
    await composer.pressSequentially('/hel');
    await page.getByRole('option', { name: /Greeting/ }).waitFor();
    await composer.press('Enter');
    await expect(composer.inputValue()).resolves.toBe('Hi Dana, I am Casey Agent.');
    await composer.fill('');

    // A reply that failed shows the reason; Retry sends it again and the thread shows it sent.
    await page.getByRole('radio', { name: 'Private message' }).check();
    await composer.fill('We will call you back');
    await composer.press('Control+Enter');
    const reply = page.locator('.message-outbound', { hasText: 'We will call you back' });
    await reply.locator('[data-delivery="sent"]').waitFor();
    await Message.updateOne({ text: 'We will call you back' }, { $set: { deliveryState: 'failed', failureReason: 'DMs are closed' } });
    await page.reload();
    await expect(reply.getByRole('alert').textContent()).resolves.toBe('Failed: DMs are closed');
    await page.screenshot({ path: screenshotPath('inbox-failed-delivery') });
    await reply.getByRole('button', { name: 'Retry' }).click();
    await reply.locator('[data-delivery="sent"]').waitFor();

    // e solves; a change the server refuses is undone, with a toast saying why.
    await page.locator('body').click({ position: { x: 5, y: 400 } });
    await page.keyboard.press('e');
    await page.getByRole('button', { name: 'Reopen' }).waitFor();
    await page.keyboard.press('j');
    await page.getByRole('heading', { name: /مرحبا/ }).waitFor();
    await User.updateOne({ _id: casey._id }, { $set: { teamIds: [] } });
    await page.getByRole('button', { name: 'Solve' }).click();
    await page.getByText('The change was undone: This ticket belongs to another team').waitFor();
    await page.getByRole('button', { name: 'Solve' }).waitFor();
  });

  it('keeps the list where the agent scrolled when a new ticket arrives on top', async () => {
    const team = await makeTeam('Scroll');
    const drew = await makeUser({ name: 'Drew Agent', teamIds: [team._id] });
    const channel = await makeSimulatorChannel({ teamId: team._id });
    const past = Date.UTC(2026, 10, 1);
    for (let n = 0; n < 30; n++) await makeTicket({ teamId: team._id, channelId: channel._id, subject: `Older ${n}`, lastMessageAt: new Date(past - n * 60_000) });

    const page = await signedInPage(drew.email, '/inbox/open');
    const list = page.getByTestId('ticket-list');
    await page.locator('.ticket-row').first().waitFor();
    await list.hover();
    await page.mouse.wheel(0, 10 * 84);
    const watched = page.locator('.ticket-row', { hasText: 'Older 12' });
    await watched.waitFor();
    await eventually(() => watched.boundingBox(), (box) => box !== null);
    const before = await watched.boundingBox();

    await deliver(channel, makeSimulatorEvent({ kind: 'mention', text: 'brand new question', author: { id: 'cust-new', name: 'Newt Newer' } }));
    await eventually(() => Ticket.countDocuments({ teamId: team._id }), (count) => count === 31);
    // The new row is in the list (above), and the row the agent was reading has not moved.
    await page.locator('.ticket-list-item[aria-setsize="31"]').first().waitFor({ state: 'attached' });
    const after = await watched.boundingBox();
    expect(after?.y).toBeCloseTo(before?.y ?? -1, 0);
    await list.hover();
    await page.mouse.wheel(0, -100 * 84);
    await page.locator('.ticket-row', { hasText: 'Newt Newer' }).waitFor();
  });
  it('narrows the list to a search and keeps it in the URL', async () => {
    const team = await makeTeam('Search');
    const sam = await makeUser({ name: 'Sam Searcher', teamIds: [team._id] });
    for (const subject of ['Refund for order A1', 'Broken zipper', 'Second refund request']) await makeTicket({ teamId: team._id, subject, status: 'open' });

    const page = await signedInPage(sam.email, '/inbox/open');
    await page.locator('.ticket-row', { hasText: 'Broken zipper' }).waitFor();
    await page.getByLabel('Search tickets').fill('refund');
    await page.getByLabel('Search tickets').press('Enter');
    await page.waitForURL('**/inbox/open?q=refund');
    await page.locator('.ticket-row', { hasText: 'Broken zipper' }).waitFor({ state: 'detached' });
    // The searched list replaces the view's once loaded: wait for it before counting rows.
    await page.locator('.ticket-row', { hasText: 'Second refund request' }).waitFor();
    await page.locator('.ticket-row', { hasText: 'Refund for order A1' }).waitFor();
    const rows = await page.locator('.ticket-row').allInnerTexts();
    expect(rows).toHaveLength(2);
    expect(rows.filter((row) => row.includes('Refund for order A1') || row.includes('Second refund request'))).toHaveLength(2);
    await page.reload();
    await page.locator('.ticket-row', { hasText: 'Second refund request' }).waitFor();
    expect(await page.getByLabel('Search tickets').inputValue()).toBe('refund');
    expect(await page.locator('.ticket-row', { hasText: 'Broken zipper' }).count()).toBe(0);
  });
});
