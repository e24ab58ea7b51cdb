import { inviteLanguageOf, privateInviteSettingsSchema, renderPrivateInvite } from './move-to-private';

describe('the invitation to write privately', () => {
  const link = 'https://x.com/messages/compose?recipient_id=1470000000000000001';

  it('speaks the customer\'s language (English unless Spanish or French), with the platform\'s link', () => {
    expect(inviteLanguageOf('es-MX')).toBe('es');
    expect(inviteLanguageOf('fr_CA')).toBe('fr');
    expect(inviteLanguageOf('de')).toBe('en');
    expect(inviteLanguageOf(null)).toBe('en');
    expect(renderPrivateInvite(undefined, 'fr', { firstName: 'Luc', link })).toBe(
      `Bonjour Luc, nous voulons vous aider en privé, là où vos données restent protégées. Écrivez-nous en message privé : ${link}`,
    );
    expect(renderPrivateInvite(undefined, 'en', { firstName: 'Kay', link: null })).toBe(
      'Hi Kay, we would like to help with this in private, where your details stay safe. Please send us a direct message.',
    );
  });

  it('fills the channel\'s own text, adds the link it does not place, and reads well without a first name', () => {
    expect(renderPrivateInvite({ es: 'Escríbenos, {{ first_name }}: {{link}} y lo vemos' }, 'es', { firstName: 'Ana', link })).toBe(`Escríbenos, Ana: ${link} y lo vemos`);
    expect(renderPrivateInvite({ en: 'Please DM us, {{first_name}}' }, 'en', { firstName: 'Kay', link })).toBe(`Please DM us, Kay ${link}`);
    expect(renderPrivateInvite({ en: 'Hi {{first_name}}, please DM us' }, 'en', { firstName: '', link: null })).toBe('Hi, please DM us');
    // A language the channel did not write keeps the default.
    expect(renderPrivateInvite({ en: 'Please DM us' }, 'es', { firstName: 'Ana', link: null })).toMatch(/^Hola Ana, queremos ayudarte en privado/);
  });

  it('accepts only {{first_name}} and {{link}}, and the three languages, when a channel is saved', () => {
    expect(privateInviteSettingsSchema.safeParse({ en: 'DM us: {{link}}', fr: 'Écrivez-nous {{first_name}}' }).success).toBe(true);
    const unknown = privateInviteSettingsSchema.safeParse({ es: 'Hola {{nombre}}' });
    expect(unknown.success).toBe(false);
    expect(unknown.error?.issues[0]).toMatchObject({ path: ['es'], message: expect.stringMatching(/uses \{\{nombre\}\}/) as string });
    expect(privateInviteSettingsSchema.safeParse({ de: 'Schreiben Sie uns' }).success).toBe(false);
    expect(privateInviteSettingsSchema.safeParse({ en: '   ' }).success).toBe(false);
  });
});
