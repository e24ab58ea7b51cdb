import { sentimentSchema } from '@parley/common';
import { sentimentOf } from './sentiment';

describe('sentimentOf in customer care', () => {
  it.each([
    ['still waiting', 'en'],
    ['lost my bag', 'en'],
    ['3rd time I ask', 'en'],
    ['¿alguien me responde?', 'es'],
    ['toujours rien', 'fr'],
    ['great, another delay 🙃', 'en'],
    ['not happy', 'en'],
    ['no funciona', 'es'],
    ['ne marche pas', 'fr'],
    ['@NovaBank thanks a lot, card blocked abroad and nobody picks up', 'en'],
    ['qué bien, otro retraso 🙃', 'es'],
    ['super, encore un retard 🙃', 'fr'],
    ['No estoy nada contento con la atención', 'es'],
    ["Je n'ai pas du tout aimé l'accueil", 'fr'],
    ['THE APP IS BROKEN', 'en'],
  ])('reads %j as negative', (text, language) => {
    expect(sentimentOf(text, language).label).toBe('negative');
  });

  it.each([
    ['what time does the store open?', 'en'],
    ['¿A qué hora abre la tienda el domingo?', 'es'],
    ['Vous livrez en Belgique ?', 'fr'],
    ['Can you send me the invoice please? thanks', 'en'],
    ["Merci d'envoyer la facture à la compta", 'fr'],
  ])('reads the question or request %j as neutral', (text, language) => {
    expect(sentimentOf(text, language).label).toBe('neutral');
  });

  it.each([
    ['thank you so much, problem solved 🙌', 'en'],
    ['not bad at all', 'en'],
    ['¡Mil gracias por la ayuda!', 'es'],
    ['no está nada mal', 'es'],
    ['Merci beaucoup, tout fonctionne maintenant', 'fr'],
    ['pas mal du tout', 'fr'],
    ['you saved my trip, thank youuuu', 'en'],
  ])('reads %j as positive', (text, language) => {
    expect(sentimentOf(text, language).label).toBe('positive');
  });

  it('turns praise around with a sarcasm marker', () => {
    expect(sentimentOf('great service 🙃', 'en').label).toBe('negative');
    expect(sentimentOf('great service', 'en').label).toBe('positive');
  });

  it('counts intensifiers, capitals and exclamation marks', () => {
    const plain = sentimentOf('I am disappointed', 'en').score;
    expect(sentimentOf('I am very disappointed', 'en').score).toBeLessThan(plain);
    expect(sentimentOf('I am DISAPPOINTED', 'en').score).toBeLessThan(plain);
    expect(sentimentOf('I am disappointed!!!', 'en').score).toBeLessThan(plain);
  });

  it('counts emoji, in any language', () => {
    expect(sentimentOf('😡', 'und').label).toBe('negative');
    expect(sentimentOf('😍😍', 'und').label).toBe('positive');
    expect(sentimentOf('Danke für die Hilfe 👍', 'de').label).toBe('positive');
  });

  it('counts the words of a hashtag', () => {
    expect(sentimentOf('#NeverAgain', 'en').label).toBe('negative');
  });

  it('weighs what follows "but" more', () => {
    expect(sentimentOf('the crew was nice but the delay was terrible', 'en').label).toBe('negative');
    expect(sentimentOf('the delay was annoying but the crew was amazing', 'en').label).toBe('positive');
  });

  it('reads an undetermined language with whichever of its lexicons recognises the words', () => {
    expect(sentimentOf('merci', 'und').label).toBe('positive');
    expect(sentimentOf('pésimo', 'und').label).toBe('negative');
  });

  it.each([
    ['empty', ''],
    ['emoji without feeling', '✈️📦'],
    ['a single character', 'k'],
    ['right-to-left text', 'שלום, איפה המזוודה שלי?'],
    ['10,000 characters', 'refund '.repeat(1_500)],
    ['lone surrogates', '\uD83D abc \uDE00'],
  ])('gives a valid sentiment for %s', (_what, text) => {
    for (const language of ['en', 'es', 'fr', 'und', 'he']) expect(sentimentSchema.safeParse(sentimentOf(text, language)).success).toBe(true);
  });

  it('is neutral for text with nothing to go by', () => {
    expect(sentimentOf('', 'und')).toEqual({ score: 0, label: 'neutral' });
    expect(sentimentOf('k', 'en')).toEqual({ score: 0, label: 'neutral' });
  });
});
