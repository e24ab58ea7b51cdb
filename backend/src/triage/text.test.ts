import { ANALYSED_CHARACTERS, LANGUAGE_CHARACTERS, hashtagWords, headOf, normalizeWord, textForLanguage, textForSentiment, wordsOf } from './text';

describe('text for language detection', () => {
  it('keeps only the prose: no handles, hashtags, links, e-mail addresses, emoji or references', () => {
    expect(textForLanguage('@SkyJetAir still waiting for SJ204 https://t.co/abc #fail 😡😡 mail me at jo@example.com')).toBe('still waiting for mail me at');
  });

  it('leaves an @ or # inside a word alone', () => {
    expect(textForLanguage('R&D #1 C# and AT&T')).toBe('R&D C# and AT&T');
  });

  it('strips flags, skin tones and joined emoji without leaving pieces', () => {
    expect(textForLanguage('merci 👍🏽 🇫🇷 👨‍👩‍👧 1️⃣')).toBe('merci');
  });

  it('reads a long text only up to its first few hundred characters of prose', () => {
    expect(textForLanguage('word '.repeat(5_000)).length).toBeLessThanOrEqual(LANGUAGE_CHARACTERS);
  });
});

describe('text for sentiment', () => {
  it('keeps emoji and the words of hashtags, drops handles and links', () => {
    expect(textForSentiment('@QuickShip arrived early 😍 #HappyCustomer #fast_delivery https://trk.example.com/1')).toBe('arrived early 😍 Happy Customer fast delivery');
  });

  it('splits a hashtag in camel case or with underscores into words', () => {
    expect(hashtagWords('NeverAgain')).toBe('Never Again');
    expect(hashtagWords('pésimo_servicio')).toBe('pésimo servicio');
  });

  it('reads no more than the head of a long text', () => {
    expect(textForSentiment('a'.repeat(10_000)).length).toBe(ANALYSED_CHARACTERS);
  });
});

describe('headOf', () => {
  it('never cuts an emoji in half', () => {
    const text = `${'a'.repeat(9)}😀`;
    expect(headOf(text, 10)).toBe('a'.repeat(9));
  });

  it('returns a short text as it is', () => {
    expect(headOf('hola', 10)).toBe('hola');
  });
});

describe('normalizeWord', () => {
  it('folds case and accents', () => {
    expect(normalizeWord('PÉSIMO')).toBe('pesimo');
    expect(normalizeWord('Déçu')).toBe('decu');
  });
});

describe('words for matching', () => {
  it('keeps the words of the prose and of hashtags, lower case without accents, split on apostrophes', () => {
    expect(wordsOf("@AcmeAir ¿Dónde está mi #EquipajePerdido? SJ204 l'enregistrement https://t.co/x 😡")).toEqual(['donde', 'esta', 'mi', 'equipaje', 'perdido', 'l', 'enregistrement']);
  });

  it('reads no more than the head of a long text', () => {
    expect(wordsOf('word '.repeat(5_000), 100)).toHaveLength(20);
  });
});
