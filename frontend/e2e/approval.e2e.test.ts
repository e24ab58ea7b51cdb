import { Channel } from '../../backend/src/channels/channel.model';
import { eventually } from '../../backend/src/test/eventually';
import { makeSimulatorChannel, makeSimulatorEvent, makeTeam, makeUser } from '../../backend/src/test/factories';
import { Message } from '../../backend/src/tickets/message.model';
import { Team } from '../../backend/src/users/team.model';
import { screenshotPath } from './browser';
import { useWebApp } from './session';

const { signedInPage, deliver } = useWebApp();

describe('supervisor approval of public replies, and the hashtag second look', () => {
  it('an admin requires approval; the agent confirms a hashtag and waits; the supervisor approves one reply and rejects another', async () => {
    const team = await makeTeam('Trainees');
    const agent = await makeUser({ name: 'Alex Trainee', teamIds: [team._id] });
    const supervisor = await makeUser({ name: 'Sam Supervisor', role: 'supervisor' });
    const admin = await makeUser({ name: 'Ada Admin', role: 'admin' });
    const channel = await makeSimulatorChannel({ teamId: team._id });
    await Channel.updateOne({ _id: channel._id }, { $set: { 'settings.imitates': 'x' } });

    // The admin turns approval on for the team's agents.
    const adminPage = await signedInPage(admin.email, '/admin/teams');
    const row = adminPage.locator(`[data-team-id="${team._id.toHexString()}"]`);
    await row.getByLabel('Public replies need a supervisor’s approval').check();
    await row.getByLabel('All agents of the team').waitFor();
    await adminPage.screenshot({ path: screenshotPath('approval-admin-teams') });
    await row.getByRole('button', { name: 'Save' }).click();
    await adminPage.getByText('Approval setting of Trainees saved.').waitFor();
    expect((await Team.findById(team._id).lean())?.publicReplyApproval).toMatchObject({ required: true, agentIds: [] });

    // A customer's post uses a hashtag the brand never used.
    await deliver(channel, makeSimulatorEvent({ kind: 'mention', text: '@acme the verdict is in #NotGuilty', author: { id: 'cust-9', name: 'Kay Jay', handle: 'kayjay' } }));
    const agentPage = await signedInPage(agent.email, '/inbox/unassigned');
    await agentPage.locator('.ticket-row', { hasText: 'Kay Jay' }).click();
    const composer = agentPage.getByRole('textbox', { name: 'Reply', exact: true });
    await composer.fill('Our cakes are #NotGuilty pleasures');
    const warning = agentPage.locator('.guardrail-findings');
    await warning.getByText(/#NotGuilty: your brand has never used this hashtag/).waitFor();
    await warning.getByText('Recent public posts with it (1)').click();
    await warning.getByText('@acme the verdict is in #NotGuilty').waitFor();
    await agentPage.screenshot({ path: screenshotPath('approval-hashtag-warning') });

    // Sending asks first; "Send anyway" sends it with the confirmation, and it waits for a supervisor.
    await composer.press('Control+Enter');
    await warning.getByRole('button', { name: 'Send anyway' }).click();
    const first = agentPage.locator('.message-outbound', { hasText: 'Our cakes are #NotGuilty pleasures' });
    await first.locator('[data-delivery="pending_approval"]').getByText('Waiting for approval').waitFor();
    await agentPage.getByText('Your public reply waits for a supervisor’s approval.').waitFor();
    const stored = await eventually(() => Message.findOne({ text: 'Our cakes are #NotGuilty pleasures' }).lean(), Boolean, 'the reply');
    expect(stored).toMatchObject({ deliveryState: 'pending_approval', guardrailConfirmed: ['hashtag:#notguilty'] });

    await composer.fill('Kay, we are sorry about the wait');
    await composer.press('Control+Enter');
    await agentPage.locator('.message-outbound', { hasText: 'Kay, we are sorry about the wait' }).locator('[data-delivery="pending_approval"]').waitFor();

    // The supervisor sees both waiting, live, and opens the queue.
    const supervisorPage = await signedInPage(supervisor.email, '/inbox/open');
    const queueLink = supervisorPage.getByRole('link', { name: /Needs approval, 2 replies waiting for approval/ });
    await queueLink.waitFor();
    await queueLink.click();
    await supervisorPage.waitForURL('**/inbox/approvals');
    const queued = supervisorPage.locator('.approval-row');
    await expect(queued.count()).resolves.toBe(2);
    await supervisorPage.screenshot({ path: screenshotPath('approval-queue') });
    await queued.first().click();
    await supervisorPage.waitForURL('**/inbox/approvals/tickets/*');

    // Approve the first: it goes out, and the agent sees it sent and approved.
    const waiting = supervisorPage.locator('.message-outbound', { hasText: 'Our cakes are #NotGuilty pleasures' });
    await supervisorPage.screenshot({ path: screenshotPath('approval-thread-supervisor') });
    await waiting.getByRole('button', { name: 'Approve' }).click();
    await waiting.locator('[data-delivery="sent"]').waitFor();
    await first.locator('[data-delivery="sent"]').getByText('Approved by Sam Supervisor').waitFor();
    await agentPage.getByText('Sam Supervisor approved your public reply; it is on its way.').waitFor();
    await supervisorPage.getByRole('link', { name: /Needs approval, 1 reply waiting for approval/ }).waitFor();

    // Reject the second with a comment: the agent reads it on the message.
    const second = supervisorPage.locator('.message-outbound', { hasText: 'Kay, we are sorry about the wait' });
    await second.getByRole('button', { name: 'Reject' }).click();
    await second.getByLabel('Why? The agent reads this.').fill('Name the order and the new delivery date');
    await second.getByRole('button', { name: 'Reject reply' }).click();
    await second.locator('[data-delivery="rejected"]').waitFor();
    const rejected = agentPage.locator('.message-outbound', { hasText: 'Kay, we are sorry about the wait' }).locator('[data-delivery="rejected"]');
    await rejected.getByText('Rejected: Name the order and the new delivery date').waitFor();
    await supervisorPage.getByRole('link', { name: /Needs approval, 0 replies waiting for approval/ }).waitFor();
    await expect(supervisorPage.locator('.approval-row').count()).resolves.toBe(0);
    await supervisorPage.screenshot({ path: screenshotPath('approval-decided-supervisor') });
    await agentPage.screenshot({ path: screenshotPath('approval-decided-agent') });

    const messages = await Message.find({ ticketId: stored?.ticketId, direction: 'outbound' }).sort({ createdAt: 1 }).lean();
    expect(messages.map((message) => message.deliveryState)).toEqual(['sent', 'rejected']);
  });
});
