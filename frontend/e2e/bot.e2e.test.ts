import { seedBotAnswers } from '../../backend/src/bot/answers.seed';
import { Channel } from '../../backend/src/channels/channel.model';
import { makeSimulatorChannel, makeSimulatorEvent, makeTeam, makeUser } from '../../backend/src/test/factories';
import { screenshotPath } from './browser';
import { useWebApp } from './session';

const { signedInPage, deliver } = useWebApp();

/** The bot's "Talk to a person" button, in whichever of its languages it speaks. */
const TALK_TO_A_PERSON = /^(Talk to a person|Hablar con alguien|Parler à quelqu'un)$/;

describe('the chatbot in the app', () => {
  // The demo airline's knowledge base, which the bot answers from.
  beforeAll(async () => {
    await seedBotAnswers();
  });

  it('lets a supervisor try the bot in Spanish, tap "Talk to a person" and see the hand-off and what it learnt', async () => {
    const supervisor = await makeUser({ name: 'Sam Supervisor', role: 'supervisor' });
    await makeSimulatorChannel();
    const page = await signedInPage(supervisor.email, '/inbox/mine');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Bot' }).click();
    await page.waitForURL('**/bot');
    await page.getByRole('heading', { name: 'How the bot did' }).waitFor();
    await page.getByRole('link', { name: 'Edit the bot’s answers' }).waitFor();

    const transcript = page.getByRole('log', { name: 'Transcript' });
    await page.getByRole('textbox', { name: 'Message to the bot' }).fill('Hola, ¿cuánto equipaje puedo llevar en el avión?');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await transcript.locator('.try-turn-customer', { hasText: 'cuánto equipaje' }).waitFor();
    const answer = transcript.locator('.try-turn-bot').first();
    await answer.waitFor({ timeout: 20_000 });
    // It answered in Spanish, and read the customer's language.
    await expect(answer.textContent()).resolves.toMatch(/[¿¡]|equipaje|maleta/i);
    await page.locator('.try-options .learnt').getByText('ES', { exact: true }).waitFor();
    await page.screenshot({ path: screenshotPath('bot-try-answer') });

    await page.getByRole('group', { name: 'The bot’s buttons' }).getByRole('button', { name: TALK_TO_A_PERSON }).click();
    const handoff = page.locator('.try-handoff');
    await handoff.getByText('The bot handed over').waitFor({ timeout: 20_000 });
    await handoff.getByText('The customer asked for a person').waitFor();
    await expect(handoff.textContent()).resolves.toMatch(/person|persona|alguien/i);
    // Its buttons are gone once it has handed over.
    expect(await page.getByRole('group', { name: 'The bot’s buttons' }).count()).toBe(0);
    await page.setViewportSize({ width: 1400, height: 1200 });
    await page.screenshot({ path: screenshotPath('bot-try-handoff') });

    // Start over: a new conversation, nothing learnt yet.
    await page.getByRole('button', { name: 'Start over' }).click();
    await transcript.getByText('Say hello, or ask a question').waitFor();
    expect(await page.locator('.try-handoff').count()).toBe(0);
  });

  it('shows a bot-handled ticket: the bot’s replies and buttons, its hand-off with reason and summary, take over and hand back', async () => {
    const team = await makeTeam('Care');
    const admin = await makeUser({ name: 'Ada Admin', role: 'admin' });
    const agent = await makeUser({ name: 'Alex Agent', teamIds: [team._id] });
    const channel = await makeSimulatorChannel({ teamId: team._id, secret: 'a-simulator-secret-of-some-length' });
    await Channel.updateOne({ _id: channel._id }, { $set: { 'settings.imitates': 'facebook' } });

    // The admin turns the bot on for the channel; a refused value is shown by its field.
    const adminPage = await signedInPage(admin.email, '/admin/channels');
    const form = adminPage.getByRole('group', { name: `Bot on ${channel.name}` });
    await form.getByRole('combobox', { name: 'Bot', exact: true }).selectOption({ label: 'Always first' });
    await form.getByRole('textbox', { name: 'Bot name' }).fill('Acme helper');
    await form.getByRole('spinbutton', { name: 'Hand over at once from (followers)' }).fill('-5');
    await form.getByRole('button', { name: `Save: Bot on ${channel.name}` }).click();
    // Next to the field it is about, not as a general failure.
    await form.locator('.field .field-error').waitFor();
    expect(await form.locator('.form-error').count()).toBe(0);
    await expect(form.getByRole('spinbutton', { name: 'Hand over at once from (followers)' }).getAttribute('aria-invalid')).resolves.toBe('true');
    await adminPage.screenshot({ path: screenshotPath('bot-channel-setting-refused') });
    await form.getByRole('spinbutton', { name: 'Hand over at once from (followers)' }).fill('50000');
    await form.getByRole('button', { name: `Save: Bot on ${channel.name}` }).click();
    await form.getByText(`Bot setting of ${channel.name} saved.`).waitFor();
    const stored = await Channel.findById(channel._id).lean();
    expect(stored?.settings.bot).toEqual({ mode: 'always_first', name: 'Acme helper', handoffReach: 50000 });
    expect(stored?.settings.imitates).toBe('facebook');

    // A customer writes; the bot answers first, and the agent sees it is the bot's.
    const page = await signedInPage(agent.email, '/inbox/open');
    await deliver(channel, makeSimulatorEvent({ id: 'bot-1', kind: 'dm', text: 'Hola, ¿cuánto equipaje puedo llevar?', author: { id: 'lucia', name: 'Lucía Pérez', followers: 250 } }));
    const row = page.locator('.ticket-row', { hasText: 'Lucía Pérez' });
    await row.waitFor();
    await row.click();
    const botMessage = page.locator('.message-by-bot').first();
    await botMessage.waitFor({ timeout: 20_000 });
    await expect(botMessage.locator('.message-author').textContent()).resolves.toBe('Acme helper');
    await botMessage.locator('.bot-badge').getByText('Bot').waitFor();
    await page.getByRole('button', { name: 'Take over' }).waitFor();
    await page.getByText('The bot is handling this conversation').first().waitFor();
    await row.locator('.bot-row-active').waitFor();
    const offered = page.locator('.message-by-bot .quick-reply-chips').first();
    if ((await offered.count()) > 0) expect(await offered.getByRole('button').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('bot-ticket-active') });

    // The customer asks for a person: the hand-off card says why, when, and what the bot learnt.
    await deliver(channel, makeSimulatorEvent({ id: 'bot-2', kind: 'dm', text: 'I want to talk to a human', author: { id: 'lucia', name: 'Lucía Pérez', followers: 250 } }));
    const card = page.getByRole('region', { name: 'Handed over by the bot' });
    await card.getByText('The customer asked for a person').waitFor({ timeout: 20_000 });
    await expect(card.locator('.bot-card-summary').textContent()).resolves.not.toBe('');
    await card.getByRole('definition').first().waitFor();
    await row.locator('.bot-handed-off', { hasText: 'From bot' }).waitFor();
    await expect(row.locator('.bot-handed-off').getAttribute('title')).resolves.toBe('Handed over by the bot: The customer asked for a person');
    await page.screenshot({ path: screenshotPath('bot-ticket-handed-off') });

    // Hand it back (after a confirm), then take it over again.
    await card.getByRole('button', { name: 'Hand back to the bot' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Hand this conversation back to the bot?' });
    await confirm.getByRole('button', { name: 'Hand back' }).click();
    await page.getByRole('region', { name: 'The bot is handling this conversation' }).waitFor();
    await row.locator('.bot-row-active').waitFor();
    await page.getByRole('button', { name: 'Take over' }).click();
    await page.getByRole('region', { name: 'Handed over by the bot' }).locator('.handoff-reason', { hasText: 'An agent took over' }).waitFor();
    await page.screenshot({ path: screenshotPath('bot-ticket-taken-over') });
  });
});
