import { sentimentSchema } from '@parley/common';
import { analyzeText } from './analysis';

describe('analyzeText', () => {
  it.each([
    ['@SkyJetAir lost my bag AGAIN. https://t.co/x #fail', 'en', 'negative'],
    ['@VuelaSol ¡muchas gracias! la tripulación fue un encanto ✈️❤️', 'es', 'positive'],
    ['@AirLumiere à quelle heure ouvre l’enregistrement ?', 'fr', 'neutral'],
    ['@EnvioYa ¿alguien me responde? 3 días sin noticias 😤', 'es', 'negative'],
    ['toujours rien, ça ne marche pas', 'fr', 'negative'],
  ])('reads %j as %s, %s', (text, language, label) => {
    const analysis = analyzeText(text);
    expect(analysis.language).toBe(language);
    expect(analysis.sentiment.label).toBe(label);
  });

  it.each([
    ['empty text', ''],
    ['emoji only', '🙃🙃'],
    ['a single character', '?'],
    ['mixed languages', 'Hola, I need help avec ma commande'],
    ['right-to-left text', 'مرحبا، أين حقيبتي؟'],
    ['10,000 characters', 'x'.repeat(10_000)],
  ])('labels %s without failing', (_what, text) => {
    const analysis = analyzeText(text);
    expect(analysis.language).toMatch(/^([a-z]{2}|und)$/);
    expect(sentimentSchema.safeParse(analysis.sentiment).success).toBe(true);
  });

  it('is undetermined and neutral for an empty text', () => {
    expect(analyzeText('')).toEqual({ language: 'und', sentiment: { score: 0, label: 'neutral' } });
  });

  it('reads only the start of a very long message', () => {
    const text = `${'Thank you so much, the team was wonderful and helpful. '.repeat(30)}${'This is terrible, worst service ever. '.repeat(250)}`;
    expect(text.length).toBeGreaterThan(10_000);
    expect(analyzeText(text)).toMatchObject({ language: 'en', sentiment: { label: 'positive' } });
  });
});
