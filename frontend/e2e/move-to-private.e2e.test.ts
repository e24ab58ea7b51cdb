import { CannedResponse } from '../../backend/src/canned/canned.model';
import { Channel } from '../../backend/src/channels/channel.model';
import { SimulatorReply } from '../../backend/src/connectors/simulator/simulator.connector';
import { eventually } from '../../backend/src/test/eventually';
import { makeSimulatorChannel, makeSimulatorEvent, makeTeam, makeUser } from '../../backend/src/test/factories';
import { Ticket } from '../../backend/src/tickets/ticket.model';
import { screenshotPath } from './browser';
import { useWebApp } from './session';

const { signedInPage, deliver } = useWebApp();

describe('reply & move to private, from the composer', () => {
  it('opens both texts side by side, prefilled in the customer\'s language, sends them with one action, and shows the move\'s state live', async () => {
    const team = await makeTeam('Social');
    const alex = await makeUser({ name: 'Alex Agent', teamIds: [team._id] });
    const channel = await makeSimulatorChannel({ teamId: team._id });
    await Channel.updateOne({ _id: channel._id }, { $set: { 'settings.imitates': 'x' } });
    await CannedResponse.create({ shortcut: 'dm', title: 'Move to private', text: 'Hi {{first_name}}, so sorry! We have sent you a DM.' });
    await CannedResponse.create({ shortcut: 'dm-greeting', title: 'First private message', text: 'Hi {{first_name}}, {{agent_name}} here. What is your order number?' });
    const kay = { id: 'cust-kay', name: 'Kay Jay', handle: 'kayjay' };
    await deliver(channel, makeSimulatorEvent({ kind: 'mention', text: '@acme my order never arrived and nobody answers', lang: 'en', author: kay }));

    const page = await signedInPage(alex.email, '/inbox/unassigned');
    await page.locator('.ticket-row', { hasText: 'Kay Jay' }).click();
    await page.getByRole('button', { name: 'Reply & move to private' }).click();
    const publicText = page.getByRole('textbox', { name: 'Public reply on X' });
    const privateText = page.getByRole('textbox', { name: 'Private message on X' });
    await expect(publicText.inputValue()).resolves.toBe('Hi Kay, so sorry! We have sent you a DM.');
    await expect(privateText.inputValue()).resolves.toBe('Hi Kay, Alex Agent here. What is your order number?');
    // Side by side: the private text to the right of the public one, at the same height.
    const [left, right] = await Promise.all([publicText.boundingBox(), privateText.boundingBox()]);
    expect(right!.x).toBeGreaterThan(left!.x + left!.width);
    expect(Math.abs(right!.y - left!.y)).toBeLessThan(2);
    await page.screenshot({ path: screenshotPath('move-to-private-panel') });

    await privateText.fill('Hi Kay, Alex here. Could you send me your order number and the email on it?');
    await page.getByRole('button', { name: 'Reply & move to private' }).click();
    await page.getByRole('status').filter({ hasText: 'Waiting for the customer in DMs' }).waitFor();
    await expect(page.getByRole('textbox', { name: 'Reply', exact: true }).isVisible()).resolves.toBe(true);
    const sent = await SimulatorReply.find({ channelId: channel._id.toHexString() }).sort({ sentAt: 1 }).lean();
    expect(sent.map((reply) => [reply.visibility, reply.text])).toEqual([
      ['public', 'Hi Kay, so sorry! We have sent you a DM.'],
      ['private', 'Hi Kay, Alex here. Could you send me your order number and the email on it?'],
    ]);
    // The thread shows both halves, marked public and private, on X.
    const ack = page.locator('.message-outbound', { hasText: 'so sorry! We have sent you a DM' });
    const dm = page.locator('.message-outbound', { hasText: 'Could you send me your order number' });
    await expect(ack.getAttribute('class')).resolves.toContain('message-public');
    await expect(dm.getAttribute('class')).resolves.toContain('message-private');
    await expect(ack.locator('.move-step').textContent()).resolves.toBe('Acknowledgement');
    await expect(dm.getByRole('article').getAttribute('aria-label')).resolves.toBe('Private message on X · You');
    await dm.locator('[data-delivery="sent"]').waitFor();
    await page.screenshot({ path: screenshotPath('move-to-private-awaiting') });

    // Kay answers privately: the header says so at once, and the action is gone.
    await deliver(channel, makeSimulatorEvent({ kind: 'dm', text: 'Order A1234, kay@example.com', author: kay }));
    await page.getByRole('status').filter({ hasText: /^Private$/ }).waitFor();
    await page.locator('.message-inbound.message-private', { hasText: 'Order A1234' }).waitFor();
    await expect(page.getByRole('button', { name: 'Reply & move to private' }).count()).resolves.toBe(0);
    // The next answer goes where the conversation now is.
    await expect(page.getByRole('radio', { name: 'Private message' }).isChecked()).resolves.toBe(true);
    await page.screenshot({ path: screenshotPath('move-to-private-private') });
  });

  it('shows why a move cannot start next to the private text, with a link to the customer\'s open private conversation', async () => {
    const team = await makeTeam('Care');
    const robin = await makeUser({ name: 'Robin Agent', teamIds: [team._id] });
    const channel = await makeSimulatorChannel({ teamId: team._id });
    const ana = { id: 'cust-ana', name: 'Ana García', handle: 'anag' };
    await deliver(channel, makeSimulatorEvent({ kind: 'dm', text: 'Hola, sobre mi reembolso', lang: 'es', author: ana, at: new Date(Date.now() - 60_000).toISOString() }));
    await deliver(channel, makeSimulatorEvent({ kind: 'mention', text: '@acme todavía no hay reembolso', lang: 'es', author: ana }));
    await eventually(() => Ticket.countDocuments({ channelId: channel._id }), (count) => count === 2);
    const dmTicket = await Ticket.findOne({ channelId: channel._id, origin: 'private' }).lean();

    const page = await signedInPage(robin.email, '/inbox/unassigned');
    await page.locator('.ticket-row', { hasText: 'todavía no hay reembolso' }).click();
    await page.getByRole('button', { name: 'Reply & move to private' }).click();
    // No canned reply in Spanish: Parley's own Spanish texts.
    const publicText = page.getByRole('textbox', { name: /^Public reply on/ });
    await expect(publicText.inputValue()).resolves.toMatch(/^Hola Ana, ¡lamentamos lo ocurrido!/);
    await expect(page.getByRole('textbox', { name: /^Private message on/ }).inputValue()).resolves.toMatch(/^Hola Ana, soy Robin Agent\./);
    await page.getByRole('button', { name: 'Reply & move to private' }).click();

    const refusal = page.locator('.move-field-private [role="alert"]');
    await expect(refusal.textContent()).resolves.toContain(`already has an open private conversation on this channel, ticket #${dmTicket!.number}`);
    await expect(page.getByRole('textbox', { name: /^Private message on/ }).getAttribute('aria-invalid')).resolves.toBe('true');
    await page.screenshot({ path: screenshotPath('move-to-private-refused') });
    await page.getByRole('link', { name: `Open ticket #${dmTicket!.number}` }).click();
    await page.getByRole('heading', { name: /Hola, sobre mi reembolso/ }).waitFor();
  });
});
