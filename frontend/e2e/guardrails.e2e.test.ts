import { Channel } from '../../backend/src/channels/channel.model';
import { GuardrailSettings } from '../../backend/src/guardrails/guardrail-settings.model';
import { eventually } from '../../backend/src/test/eventually';
import { makeSimulatorChannel, makeSimulatorEvent, makeTeam, makeUser } from '../../backend/src/test/factories';
import { Message } from '../../backend/src/tickets/message.model';
import { screenshotPath } from './browser';
import { useWebApp } from './session';

const { signedInPage, deliver } = useWebApp();

describe('guardrails in the browser', () => {
  it('marks personal data in a public reply as it is typed, blocks it, and sends it privately instead', async () => {
    const team = await makeTeam('Care');
    const agent = await makeUser({ name: 'Alex Agent', teamIds: [team._id] });
    const channel = await makeSimulatorChannel({ teamId: team._id });
    await Channel.updateOne({ _id: channel._id }, { $set: { 'settings.imitates': 'x', 'settings.guardrails': { blocklist: [{ phrase: 'guaranteed', action: 'warn' }] } } });
    await deliver(channel, makeSimulatorEvent({ kind: 'mention', text: '@acme my parcel never arrived', author: { id: 'cust-g1', name: 'Kay Jay', handle: 'kayjay' } }));

    const page = await signedInPage(agent.email, '/inbox/unassigned');
    await page.locator('.ticket-row', { hasText: 'Kay Jay' }).click();
    const composer = page.getByRole('textbox', { name: 'Reply', exact: true });
    await expect(page.getByRole('radio', { name: 'Public reply' }).isChecked()).resolves.toBe(true);
    const text = 'So sorry Kay! Write to kay.jay@example.com or call +44 20 7946 0958.';
    await composer.pressSequentially(text);

    // Each span is marked under the words typed, and listed with its reason.
    const marks = page.locator('.guardrail-backdrop mark');
    await page.locator('.guardrail-backdrop mark[data-kind="phone"]').waitFor();
    await expect(marks.allTextContents()).resolves.toEqual(['kay.jay@example.com', '+44 20 7946 0958']);
    const findings = page.locator('.guardrail-findings');
    await expect(findings.textContent()).resolves.toContain('An email address does not belong in a public reply: move to private');
    await expect(findings.textContent()).resolves.toContain('A phone number does not belong in a public reply: move to private');
    await expect(composer.getAttribute('aria-invalid')).resolves.toBe('true');
    // The mark lies exactly under the typed address.
    const markBox = await page.locator('.guardrail-backdrop mark[data-kind="email"]').boundingBox();
    const areaBox = await composer.boundingBox();
    expect(markBox && areaBox && markBox.x > areaBox.x && markBox.x + markBox.width < areaBox.x + areaBox.width && markBox.y > areaBox.y).toBe(true);
    await page.screenshot({ path: screenshotPath('guardrails-public-reply-blocked') });

    // It cannot be sent in public: the button is off and Ctrl+Enter does nothing.
    await expect(page.getByRole('button', { name: 'Send', exact: true }).isDisabled()).resolves.toBe(true);
    await composer.press('Control+Enter');
    await expect(Message.countDocuments({ channelId: channel._id, direction: 'outbound' })).resolves.toBe(0);

    // "Move to private instead": the conversation moves to private — a short public acknowledgement,
    // and what the agent typed as the private message.
    await page.getByRole('button', { name: 'Move to private instead' }).click();
    const privateText = page.getByRole('textbox', { name: /^Private message on/ });
    await expect(privateText.inputValue()).resolves.toBe(text);
    await page.screenshot({ path: screenshotPath('guardrails-move-to-private-instead') });
    // The public acknowledgement is checked as it is typed, like any public reply.
    const publicText = page.getByRole('textbox', { name: /^Public reply on/ });
    const acknowledgement = await publicText.inputValue();
    await publicText.fill(`${acknowledgement} Or mail kay.jay@example.com`);
    await expect(page.locator('.move-field-public .guardrail-findings').textContent()).resolves.toContain('An email address does not belong in a public reply');
    await expect(page.getByRole('button', { name: 'Reply & move to private' }).isDisabled()).resolves.toBe(true);
    await publicText.fill(acknowledgement);
    await page.getByRole('button', { name: 'Reply & move to private' }).click();
    await page.locator('.message-outbound.message-private', { hasText: 'kay.jay@example.com' }).locator('[data-delivery="sent"]').waitFor();
    const sent = await Message.find({ channelId: channel._id, direction: 'outbound' }).lean();
    expect(sent.find((message) => message.visibility === 'private')).toMatchObject({ text });
    expect(sent.find((message) => message.visibility === 'public')?.text).not.toMatch(/example\.com|7946/);

    // A warning needs a second look: "Send anyway" sends it with its confirm key.
    await page.getByRole('radio', { name: 'Public reply' }).check();
    await composer.fill('A replacement is guaranteed, @rival_brand has nothing to do with it.');
    await page.locator('.guardrail-backdrop mark[data-kind="mention"]').waitFor();
    await expect(page.locator('.guardrail-findings-warn').textContent()).resolves.toContain('"guaranteed" is on the brand\'s watch list');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(Message.countDocuments({ channelId: channel._id, visibility: 'public', direction: 'outbound', text: /replacement/ })).resolves.toBe(0);
    await page.screenshot({ path: screenshotPath('guardrails-public-reply-warning') });
    await page.locator('.guardrail-findings').getByRole('button', { name: 'Send anyway' }).click();
    await page.locator('.message-outbound', { hasText: 'A replacement is guaranteed' }).locator('[data-delivery="sent"]').waitFor();
    const confirmed = await Message.findOne({ channelId: channel._id, visibility: 'public', direction: 'outbound', text: /replacement/ }).lean();
    expect(confirmed?.guardrailConfirmed).toEqual(['blocklist:guaranteed', 'mention:@rival_brand']);
  });

  it('lets an admin keep the guardrails: a pattern checked as it is typed, a sample tried, the blocklist saved', async () => {
    const admin = await makeUser({ role: 'admin', name: 'Ada Admin' });
    await makeSimulatorChannel();
    const page = await signedInPage(admin.email, '/admin/guardrails');
    await page.getByRole('heading', { name: 'Guardrails', level: 2 }).waitFor();
    const brand = page.getByRole('region', { name: 'Brand-wide' });

    await brand.getByRole('button', { name: 'Add a pattern' }).click();
    const pattern = brand.getByRole('textbox', { name: 'Pattern 1' });
    await pattern.fill('(a+)+');
    await brand.getByText('Pattern 1 repeats a repeat').waitFor();
    await expect(pattern.getAttribute('aria-invalid')).resolves.toBe('true');
    await pattern.fill('\\bORD-\\d{6}\\b');
    await brand.getByText('Valid pattern').waitFor();
    await brand.getByRole('button', { name: 'Add a phrase' }).click();
    await brand.getByRole('textbox', { name: 'Phrase 1' }).fill('not guilty');

    const preview = page.getByTestId('try-it-preview');
    await page.getByRole('textbox', { name: 'Sample reply' }).fill('We are NOT guilty: order ord-123456 left on Monday.');
    await expect(preview.locator('mark').allTextContents()).resolves.toEqual(['NOT guilty', 'ord-123456']);
    await preview.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('guardrails-admin-try-it') });

    await brand.getByRole('button', { name: 'Save' }).click();
    await brand.getByText('Saved').waitFor();
    const stored = await eventually(() => GuardrailSettings.findById('brand').lean(), (doc) => doc !== null);
    expect(stored).toMatchObject({ referencePatterns: ['\\bORD-\\d{6}\\b'], blocklist: [{ phrase: 'not guilty', action: 'block' }], updatedByName: 'Ada Admin' });
  });
});
