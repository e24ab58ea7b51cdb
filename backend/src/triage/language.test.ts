import { detectLanguage } from './language';

describe('detectLanguage', () => {
  it.each([
    ['@SkyJetAir where is my bag? https://t.co/x1 #help', 'en'],
    ['@NovaBank still waiting 😡', 'en'],
    ['lost my bag', 'en'],
    ['thanks', 'en'],
    ['@VuelaSol ¿dónde está mi maleta? https://t.co/x2', 'es'],
    ['¿alguien me responde?', 'es'],
    ['gracias', 'es'],
    ['no funciona la app #fail', 'es'],
    ['@AirLumiere où est ma valise ? https://t.co/x3', 'fr'],
    ['toujours rien 🙄', 'fr'],
    ['merci', 'fr'],
    ['ça ne marche pas @ColisVite', 'fr'],
  ])('reads %j as %s', (text, language) => {
    expect(detectLanguage(text)).toBe(language);
  });

  it.each([
    ['Wo ist mein Koffer? Seit drei Tagen warte ich!', 'de'],
    ['Onde está minha mala? Estou esperando há três dias', 'pt'],
    ["Dov'è la mia valigia? Aspetto da tre giorni", 'it'],
    ['Waar is mijn koffer? Ik wacht al drie dagen', 'nl'],
    ['مرحبا، أين حقيبتي؟ أنتظر منذ ثلاثة أيام', 'ar'],
    ['荷物がまだ届きません。三日も待っています。', 'ja'],
    ['Мой багаж до сих пор не нашли, никто не отвечает', 'ru'],
  ])('labels %j as its own language, never English, Spanish or French', (text, language) => {
    const detected = detectLanguage(text);
    expect(['en', 'es', 'fr']).not.toContain(detected);
    expect([language, 'und']).toContain(detected);
  });

  it.each([
    ['empty', ''],
    ['emoji only', '😡😡😡'],
    ['a single character', 'k'],
    ['punctuation and digits', '?? 12345 !!'],
    ['only a handle, a hashtag and a link', '@foo #bar https://example.com'],
  ])('is undetermined for %s', (_what, text) => {
    expect(detectLanguage(text)).toBe('und');
  });

  it('labels right-to-left Hebrew as some language other than en, es, fr', () => {
    expect(['en', 'es', 'fr']).not.toContain(detectLanguage('שלום, איפה המזוודה שלי? אני מחכה כבר שלושה ימים'));
  });

  it('answers for a 10,000-character text from its start', () => {
    const text = `${'Je suis très déçu, ma valise est toujours perdue. '.repeat(20)}${'x'.repeat(9_000)}`;
    expect(detectLanguage(text.slice(0, 10_000))).toBe('fr');
  });

  it('gives one of the two languages of a mixed message', () => {
    expect(['en', 'es']).toContain(detectLanguage('Hola! my order never arrived, ¿me pueden ayudar por favor?'));
  });
});
