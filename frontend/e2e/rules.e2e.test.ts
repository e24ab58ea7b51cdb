import { Types } from 'mongoose';
import { eventually } from '../../backend/src/test/eventually';
import { makeSimulatorChannel, makeSimulatorEvent, makeTeam, makeUser } from '../../backend/src/test/factories';
import { Message, type MessageDoc } from '../../backend/src/tickets/message.model';
import { Ticket, type TicketDoc } from '../../backend/src/tickets/ticket.model';
import { Rule, type RuleDoc } from '../../backend/src/workflows/rule.model';
import { screenshotPath } from './browser';
import { useWebApp } from './session';

const app = useWebApp();

const ticketOf = async (channelId: Types.ObjectId, externalId: string): Promise<TicketDoc> => {
  const message = await eventually(() => Message.findOne({ channelId, externalId }).lean<MessageDoc>(), (found): found is MessageDoc => found !== null, `message ${externalId}`);
  return (await Ticket.findById(message.ticketId).lean<TicketDoc>())!;
};

describe('automation rules in the admin area', () => {
  it('lets an admin write a rule, shows the field the server refused, and dry-runs it on recent tickets', async () => {
    const billing = await makeTeam('Billing');
    const admin = await makeUser({ role: 'admin', name: 'Ada Admin' });
    const channel = await makeSimulatorChannel();
    const refund = makeSimulatorEvent({ text: 'I want a REFUND for order #A1234', author: { id: 'lee', name: 'Lee Late' } });
    const thanks = makeSimulatorEvent({ text: 'Thanks, I was refunded already', author: { id: 'fay', name: 'Fay Fresh' } });
    await app.deliver(channel, refund, thanks);
    const refundTicket = await ticketOf(channel._id, refund.id);
    await ticketOf(channel._id, thanks.id);

    const page = await app.signedInPage(admin.email, '/admin/rules');
    await page.getByText('No rule yet.').waitFor();
    await page.getByRole('link', { name: 'New rule' }).click();
    await page.waitForURL('**/admin/rules/new');

    await page.getByLabel('Name').fill('Refunds to billing');
    await page.getByRole('button', { name: 'Add condition (all of these)' }).click();
    const condition = page.getByRole('group', { name: 'All of these 1' });
    await condition.getByLabel('Words or phrases, one per line').fill('refund\nremboursement');
    await page.getByRole('button', { name: 'Add action' }).click();
    const first = page.getByRole('group', { name: 'Action 1' });
    await first.getByLabel('Action', { exact: true }).selectOption('assign_team');
    await first.getByLabel('Team').selectOption({ label: 'Billing' });
    await page.getByRole('button', { name: 'Add action' }).click();
    // The second action is a tag, left empty: the server refuses it and the editor says where.
    await page.getByRole('button', { name: 'Save rule' }).click();
    const second = page.getByRole('group', { name: 'Action 2' });
    await second.getByRole('alert').getByText('Must not be empty').waitFor();
    await expect(second.getByLabel('Tag').getAttribute('aria-invalid')).resolves.toBe('true');
    await page.getByRole('alert').getByText('Not saved: fix the field marked below.').waitFor();
    await page.screenshot({ path: screenshotPath('rules-editor-field-error') });

    await page.getByLabel('Name').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('rules-editor') });
    await second.getByLabel('Tag').fill('refund');
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page.waitForURL(/\/admin\/rules\/[a-f0-9]{24}$/);
    await page.getByRole('heading', { name: 'Rule: Refunds to billing' }).waitFor();
    const saved = await Rule.findOne({ name: 'Refunds to billing' }).lean<RuleDoc>();
    expect(saved).toMatchObject({
      active: false,
      order: 1,
      triggers: ['ticket.created'],
      conditions: { all: [{ field: 'keywords', op: 'any', words: ['refund', 'remboursement'] }], any: [] },
      actions: [
        { type: 'assign_team', teamId: billing._id.toHexString() },
        { type: 'add_tag', tag: 'refund' },
      ],
    });

    // The dry run lists the ticket it would have matched and what it would have done, and changes nothing.
    await page.getByRole('button', { name: 'Run dry run' }).click();
    await page.getByText('Matched 1 of the last 2 tickets.').waitFor();
    const row = page.locator(`.rule-dry-run-table tr[data-ticket-number="${refundTicket.number}"]`);
    await expect(row.locator('q').innerText()).resolves.toBe('I want a REFUND for order #A1234');
    expect(await row.locator('.rule-effect').allInnerTexts()).toEqual(['would change Assign to a team: to the team Billing', 'would change Add a tag: tagged refund']);
    await page.screenshot({ path: screenshotPath('rules-dry-run') });
    expect(await Ticket.findById(refundTicket._id).lean()).toMatchObject({ teamId: null, tags: [] });

    // In the list: switched on, and moved below a rule made since.
    await Rule.create({ name: 'VIP first', order: 2, triggers: ['message.created'], conditions: { all: [{ field: 'authorVerified', op: 'is', value: true }], any: [] }, actions: [{ type: 'set_priority', priority: 'urgent' }] });
    await page.getByRole('link', { name: 'All rules' }).click();
    await page.waitForURL('**/admin/rules');
    const names = () => page.locator('.rules-table tbody td:nth-child(2) a').allInnerTexts();
    await page.getByRole('link', { name: 'VIP first' }).waitFor();
    await expect(names()).resolves.toEqual(['Refunds to billing', 'VIP first']);
    await page.locator('.rule-when', { hasText: 'Keywords any of “refund”, “remboursement”' }).waitFor();
    await page.getByText('Assign to a team: Billing').waitFor();
    await page.getByLabel('Refunds to billing is active').check();
    await eventually(() => Rule.findById(saved?._id).lean<RuleDoc>(), (rule) => rule?.active === true, 'the rule switched on');
    await page.getByRole('button', { name: 'Move Refunds to billing down' }).click();
    await eventually(names, (listed) => listed.join() === 'VIP first,Refunds to billing', 'the rule moved down');
    await eventually(() => Rule.findById(saved?._id).lean<RuleDoc>(), (rule) => rule?.order === 2, 'the move stored');
    await page.screenshot({ path: screenshotPath('rules-list') });

    // Switched on, it acts on the next customer who asks for a refund.
    const next = makeSimulatorEvent({ text: 'Refund please, the box was empty', author: { id: 'sam', name: 'Sam Lee' } });
    await app.deliver(channel, next);
    const routed = await eventually(() => ticketOf(channel._id, next.id), (ticket) => ticket.tags.includes('refund'), 'the new ticket routed');
    expect(routed.teamId?.toHexString()).toBe(billing._id.toHexString());
  });
});
