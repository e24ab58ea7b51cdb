import type { GuardrailFinding } from './guardrails';
import { checkPublicReply, guardrailSummary, unresolvedFindings, type GuardrailCheckContext } from './guardrails.check';
import { guardrailSettingsSchema, mergeGuardrailSettings, type GuardrailSettingsInput } from './guardrails.settings';

function context(language: string | null, channel: GuardrailSettingsInput = {}, brand: GuardrailSettingsInput = {}): GuardrailCheckContext {
  return {
    settings: mergeGuardrailSettings(guardrailSettingsSchema.parse(brand), guardrailSettingsSchema.parse(channel)),
    answeredHandles: ['jane_doe'],
    language,
  };
}

const kinds = (findings: GuardrailFinding[]) => findings.map((finding) => `${finding.kind}:${finding.text}`);
/** The findings, each checked to point at exactly the text it names. */
function check(text: string, ctx: GuardrailCheckContext): GuardrailFinding[] {
  const findings = checkPublicReply(text, ctx);
  for (const finding of findings) expect(text.slice(finding.start, finding.end)).toBe(finding.text);
  return findings;
}

type Case = [language: 'en' | 'es' | 'fr', text: string, found: string | null];

const personalData: Record<string, Case[]> = {
  email: [
    ['en', 'Hi Jane, please write to care.team+orders@acme-shop.co.uk so we can help.', 'care.team+orders@acme-shop.co.uk'],
    ['es', 'Escríbenos a soporte [at] acme [dot] com y lo vemos.', 'soporte [at] acme [dot] com'],
    ['fr', 'Envoyez-nous un mail à élodie.martin@exemple.fr, merci !', 'élodie.martin@exemple.fr'],
    ['en', 'Thanks @jane_doe, we are on it.', null],
    ['es', 'Nos vemos @ la tienda de Sol a las 10.', null],
    ['fr', 'Écrivez-nous en privé (DM) avec votre adresse.', null],
  ],
  phone: [
    ['en', 'Give us a call on (415) 555-2671 and we will sort it out.', '(415) 555-2671'],
    ['en', 'Our UK team is on +44 20 7946 0958 all day.', '+44 20 7946 0958'],
    ['es', 'Llámanos al 612 34 56 78 cuando puedas.', '612 34 56 78'],
    ['fr', 'Appelez-moi au 06.12.34.56.78 demain.', '06.12.34.56.78'],
    ['fr', 'Notre service client : +33 1 23 45 67 89.', '+33 1 23 45 67 89'],
    ['en', 'Your refund of $1,234.56 was sent on 12/03/2024 at 14:30.', null],
    ['es', 'El precio es 19,99 € hasta el 31-12-2024, de 9:00 a 18:30.', null],
    ['fr', 'Votre commande 123456789 est partie, total 1 234,56 €.', null],
    ['es', 'Su pedido nº 612345678 ya ha salido.', null],
    ['fr', 'Commande #0612345678 expédiée le 2024-03-12.', null],
  ],
  card: [
    ['en', 'The card 4111 1111 1111 1111 was charged twice.', '4111 1111 1111 1111'],
    ['es', 'La tarjeta 5500-0000-0000-0004 no funciona.', '5500-0000-0000-0004'],
    ['fr', 'Votre carte 378282246310005 a été remboursée.', '378282246310005'],
    ['en', 'Your gift card 4111 1111 1111 1112 is not valid.', null],
    ['es', 'El número 1234 5678 9012 3456 no es una tarjeta.', null],
    ['fr', 'Colis 0000 0000 0000 0000 en route.', null],
  ],
  iban: [
    ['en', 'We refunded GB82 WEST 1234 5698 7654 32 this morning.', 'GB82 WEST 1234 5698 7654 32'],
    ['es', 'Te devolvimos el dinero a ES91 2100 0418 4502 0005 1332.', 'ES91 2100 0418 4502 0005 1332'],
    ['fr', 'Remboursement sur FR7630006000011234567890189 effectué.', 'FR7630006000011234567890189'],
    ['en', 'Reference GB82 WEST 1234 5698 7654 33 is not a valid IBAN.', null],
    ['es', 'El código ES12 no es una cuenta.', null],
    ['fr', 'Le FR76 en question est un modèle de vélo.', null],
  ],
  address: [
    ['en', 'We will send a courier to 221B Baker Street tomorrow.', '221B Baker Street'],
    ['en', 'Is it Springfield, IL 62704?', 'Springfield, IL 62704'],
    ['es', 'Lo enviamos a Calle de Alcalá, 45, 28014 Madrid mañana.', 'Calle de Alcalá, 45, 28014 Madrid'],
    ['fr', 'Le livreur passera au 12 rue de la Paix, 75002 Paris.', '12 rue de la Paix, 75002 Paris'],
    ['en', 'We waited 2 hours on the road to get there, 5 streets away.', null],
    ['es', 'En la calle hay 5 tiendas nuestras abiertas.', null],
    ['fr', 'Notre boutique est à 5 rues d’ici, rue très animée.', null],
    ['fr', 'Le 5 rue, il faut tourner à gauche.', null],
  ],
};

describe('personal data in a public reply', () => {
  for (const [kind, cases] of Object.entries(personalData)) {
    describe(kind, () => {
      it.each(cases)('(%s) %s', (language, text, found) => {
        const findings = check(text, context(language));
        if (found === null) {
          expect(kinds(findings)).toEqual([]);
          return;
        }
        expect(kinds(findings)).toEqual([`${kind}:${found}`]);
        const [finding] = findings;
        expect(finding?.severity).toBe('block');
        expect(finding?.confirmKey).toBeUndefined();
        expect(finding?.message).toMatch(/does not belong in a public reply: move to private$/);
      });
    });
  }

  it("finds the brand's references by its patterns, case-insensitive, and nothing else that looks alike", () => {
    const brand = context('en', { referencePatterns: ['#?[A-Z]\\d{4}\\b'] }, { referencePatterns: ['\\bBK-[0-9A-Z]{6}\\b'] });
    expect(kinds(check('Your order #A1234 ships today; booking bk-7QX2PL too.', brand))).toEqual(['reference:#A1234', 'reference:bk-7QX2PL']);
    expect(kinds(check('Pedido #A1234 enviado.', { ...brand, language: 'es' }))).toEqual(['reference:#A1234']);
    expect(kinds(check('Votre réservation BK-7QX2PL est confirmée.', { ...brand, language: 'fr' }))).toEqual(['reference:BK-7QX2PL']);
    expect(kinds(check('Flight A12 leaves at 10:45, gate B7.', brand))).toEqual([]);
  });

  it('reports each span once, the most specific kind winning, in the order of the text', () => {
    const findings = check('Mail jo@x.io, call 0612345678, card 4111111111111111.', context('fr'));
    expect(kinds(findings)).toEqual(['email:jo@x.io', 'phone:0612345678', 'card:4111111111111111']);
  });

  it('counts offsets in UTF-16 units, as the composer highlights them', () => {
    const text = '🙏🏽 Merci ! Écrivez à zoé@exemple.fr';
    const [finding] = check(text, context('fr'));
    expect(finding).toMatchObject({ kind: 'email', start: text.indexOf('zoé'), end: text.length });
  });
});

describe('blocklist, mentions and links', () => {
  const settings: GuardrailSettingsInput = {
    blocklist: [
      { phrase: 'not guilty', action: 'block' },
      { phrase: 'Café gratuit', action: 'warn' },
      { phrase: 'garantía', action: 'warn' },
    ],
    allowedLinkDomains: ['https://www.acme.com/help', 'acme.es'],
    allowedMentions: ['@AcmeHelp'],
  };

  it('finds phrases as whole words, whatever the case and accents', () => {
    expect(check('We are NOT  GUILTY of anything.', context('en', settings))).toMatchObject([{ kind: 'blocklist', severity: 'block', text: 'NOT  GUILTY' }]);
    expect(check('Tenéis GARANTIA de dos años.', context('es', settings))).toMatchObject([{ kind: 'blocklist', severity: 'warn', text: 'GARANTIA', confirmKey: 'blocklist:garantia' }]);
    expect(check('Un cafe gratuit pour vous !', context('fr', settings))).toMatchObject([{ kind: 'blocklist', severity: 'warn', confirmKey: 'blocklist:cafe gratuit' }]);
    expect(kinds(check('He was guilty, not innocent; a cafés gratuits offer; garantías.', context('en', settings)))).toEqual([]);
  });

  it("joins the brand's and the channel's lists, the stricter action winning", () => {
    const ctx = context('en', { blocklist: [{ phrase: 'refund', action: 'warn' }] }, { blocklist: [{ phrase: 'REFUND', action: 'block' }, { phrase: 'lawsuit', action: 'warn' }] });
    expect(check('A refund, no lawsuit.', ctx).map((finding) => `${finding.text}/${finding.severity}`)).toEqual(['refund/block', 'lawsuit/warn']);
  });

  it('warns about, or blocks, accounts other than the one answered', () => {
    const text = 'Thanks @Jane_Doe! @AcmeHelp and @rival_brand will look too.';
    expect(check(text, context('en', settings))).toMatchObject([{ kind: 'mention', text: '@rival_brand', severity: 'warn', confirmKey: 'mention:@rival_brand' }]);
    expect(check(text, context('en', { ...settings, mentions: 'block' }))).toMatchObject([{ kind: 'mention', severity: 'block' }]);
    expect(check(text, context('en', { ...settings, mentions: 'allow' }))).toEqual([]);
    expect(kinds(check('Gracias, escríbenos a hola@rival.es', context('es', { mentions: 'block' })))).toEqual(['email:hola@rival.es']);
  });

  it('flags links outside the allow-list, and only when there is one', () => {
    const text = 'Voir https://help.acme.com/x, www.acme.es et https://bit.ly/3xYz.';
    expect(check(text, context('fr', settings))).toMatchObject([{ kind: 'link', text: 'https://bit.ly/3xYz', severity: 'warn', confirmKey: 'link:bit.ly' }]);
    expect(check('Mira deals-acme.shop/oferta ahora', context('es', { ...settings, links: 'block' }))).toMatchObject([{ kind: 'link', text: 'deals-acme.shop/oferta', severity: 'block' }]);
    expect(check(text, context('fr'))).toEqual([]);
    expect(kinds(check('Version 2.5 is out. See acme.com.', context('en', settings)))).toEqual([]);
  });

  it('lets confirmed warnings through, never blocks', () => {
    const findings = check('Un café gratuit, @rival et jo@x.fr', context('fr', settings));
    expect(unresolvedFindings(findings, ['blocklist:cafe gratuit', 'mention:@rival']).map((finding) => finding.kind)).toEqual(['email']);
    expect(guardrailSummary(findings)).toMatch(/personal data/);
    expect(guardrailSummary(findings.filter((finding) => finding.severity === 'warn'))).toMatch(/confirm/);
  });
});
