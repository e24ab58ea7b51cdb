import { BotAnswer } from '../../backend/src/bot/bot-answer.model';
import { seedBotAnswers } from '../../backend/src/bot/answers.seed';
import { makeUser } from '../../backend/src/test/factories';
import { screenshotPath } from './browser';
import { useWebApp } from './session';

const app = useWebApp(['api', 'web']);

describe('the bot answers in the admin area', () => {
  it('lets an admin add an entry, see an empty question refused beside it, edit it, test questions and delete it', async () => {
    await seedBotAnswers();
    const admin = await makeUser({ role: 'admin' });
    const page = await app.signedInPage(admin.email, '/admin/bot-answers');
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Bot answers' }).waitFor();
    await page.getByRole('heading', { name: 'Bot answers' }).waitFor();
    const refundsRow = page.getByRole('row').filter({ hasText: 'refunds' });
    await expect(refundsRow.textContent()).resolves.toMatch(/refunds\s*enesfr\s*\d+\s*Public and private\s*Yes/);

    await page.getByRole('button', { name: 'New entry' }).click();
    const editor = page.getByRole('form', { name: 'New entry' });
    await editor.getByLabel('Intent').fill('parking');
    await editor.getByLabel('English question 1', { exact: true }).fill('Where can I park my car at the airport?');
    await editor.getByRole('button', { name: 'Add a question in English' }).click();
    await editor.getByLabel('English question 2', { exact: true }).fill('How much does airport parking cost?');
    await editor.getByRole('button', { name: 'Add a question in Spanish' }).click();
    await editor.getByLabel('Spanish question 1', { exact: true }).fill('¿Dónde aparco el coche en el aeropuerto?');
    // The Spanish answer only: the English one is required, and said so beside it.
    await editor.getByLabel('Answer in Spanish (optional)').fill('El aparcamiento de Acme está en la Terminal 2.');
    await editor.getByRole('button', { name: 'Save entry' }).click();
    await editor.getByRole('alert').getByText('An answer in the default language (en) is required').waitFor();
    await expect(editor.getByLabel('Answer in English', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');

    // An empty question row is named by the server (questions.1.text) and shown beside that row.
    await editor.getByLabel('Answer in English', { exact: true }).fill('Acme parking is at Terminal 2, level -1: €12 a day when booked online.');
    await editor.getByLabel('English question 2', { exact: true }).fill('   ');
    await editor.getByRole('button', { name: 'Save entry' }).click();
    await editor.getByRole('alert').getByText('Must not be empty').waitFor();
    await expect(editor.getByLabel('English question 2', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(editor.getByLabel('English question 1', { exact: true }).getAttribute('aria-invalid')).resolves.toBeNull();
    await editor.screenshot({ path: screenshotPath('bot-answers-field-error') });

    await editor.getByRole('button', { name: 'Remove English question 2' }).click();
    await editor.getByRole('button', { name: 'Save entry' }).click();
    await page.getByRole('status').getByText('“parking” saved.').waitFor();
    const parkingRow = page.getByRole('row').filter({ hasText: 'parking' });
    await expect(parkingRow.textContent()).resolves.toMatch(/parking\s*enes\s*2\s*Public and private\s*Yes/);
    await expect(BotAnswer.countDocuments({ intent: 'parking' })).resolves.toBe(1);

    // A second entry with the same intent is refused beside the intent.
    await page.getByRole('button', { name: 'New entry' }).click();
    await editor.getByLabel('Intent').fill('parking');
    await editor.getByLabel('English question 1', { exact: true }).fill('Is there parking?');
    await editor.getByLabel('Answer in English', { exact: true }).fill('Yes.');
    await editor.getByRole('button', { name: 'Save entry' }).click();
    await editor.getByRole('alert').getByText('An entry with this intent exists').waitFor();
    await editor.getByRole('button', { name: 'Cancel' }).click();

    // What the bot would answer, and how sure it is.
    const tryIt = page.getByRole('form', { name: 'Test a question' });
    await tryIt.getByLabel('Customer’s message').fill('hi, where do I park at the airport?');
    await tryIt.getByRole('button', { name: 'Test' }).click();
    await tryIt.getByTestId('bot-try-result').getByText(/The bot answers with “parking” \(confidence \d+%\)/).waitFor();
    await tryIt.getByText('Acme parking is at Terminal 2').waitFor();
    await tryIt.getByLabel('Customer’s message').fill('¿cuándo me devuelven el dinero?');
    await tryIt.getByLabel('Customer’s language').selectOption('es');
    await tryIt.getByRole('button', { name: 'Test' }).click();
    await tryIt.getByText(/The bot answers with “refunds”/).waitFor();
    await tryIt.getByText('Puedes pedir el reembolso').waitFor();
    await tryIt.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('bot-answers'), fullPage: true });

    await tryIt.getByLabel('Customer’s message').fill('my cat is sick');
    await tryIt.getByLabel('Customer’s language').selectOption('');
    await tryIt.getByRole('button', { name: 'Test' }).click();
    await tryIt.getByText(/The bot would not answer: no entry reaches a confidence of \d+%/).waitFor();

    // Edited to private messages only: a public comment gets no answer from it any more.
    await page.getByRole('button', { name: 'Edit parking' }).click();
    const edit = page.getByRole('form', { name: 'Edit “parking”' });
    await edit.getByLabel('Where the bot may give it').selectOption('private');
    await edit.getByRole('button', { name: 'Save entry' }).click();
    await parkingRow.getByText('Private messages only').waitFor();
    await expect(edit.count()).resolves.toBe(0);
    await tryIt.getByLabel('Customer’s message').fill('where can I park my car');
    await tryIt.getByLabel('Written in').selectOption('public');
    await tryIt.getByRole('button', { name: 'Test' }).click();
    await tryIt.getByText(/The bot would not answer/).waitFor();

    await page.getByRole('button', { name: 'Delete parking' }).click();
    await page.getByRole('alertdialog', { name: 'Delete this entry?' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('status').getByText('“parking” deleted.').waitFor();
    await expect(parkingRow.count()).resolves.toBe(0);
  });

  it('shows supervisors the entries and the test box, without editing', async () => {
    await seedBotAnswers();
    const supervisor = await makeUser({ role: 'supervisor' });
    const page = await app.signedInPage(supervisor.email, '/admin/bot-answers');
    await page.getByText('Only admins change the bot’s answers.').waitFor();
    await page.getByRole('row').filter({ hasText: 'lost-baggage' }).waitFor();
    await expect(page.getByRole('button', { name: 'New entry' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Edit refunds' }).count()).resolves.toBe(0);
    const tryIt = page.getByRole('form', { name: 'Test a question' });
    await tryIt.getByLabel('Customer’s message').fill('ma valise n’est pas arrivée');
    await tryIt.getByRole('button', { name: 'Test' }).click();
    await tryIt.getByText(/The bot answers with “lost-baggage”/).waitFor();
  });
});
