import { CARE_FRESH_FILE, loadCareSet } from './care-set';
import { CARE_LANGUAGES } from './language';

describe('the labelled care set', () => {
  const rows = loadCareSet();

  it('has unique ids', () => {
    expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
  });

  it.each(CARE_LANGUAGES)('has at least 100 %s messages balanced over the labels, a third of each label in test', (language) => {
    const ofLanguage = rows.filter((row) => row.language === language);
    expect(ofLanguage.length).toBeGreaterThanOrEqual(100);
    for (const label of ['negative', 'neutral', 'positive'] as const) {
      const ofLabel = ofLanguage.filter((row) => row.label === label);
      expect(ofLabel.length).toBeGreaterThanOrEqual(33);
      expect(ofLabel.filter((row) => row.split === 'test').length).toBe(Math.floor(ofLabel.length / 3));
    }
    for (const style of ['x_reply', 'fb_comment', 'dm'] as const) expect(ofLanguage.some((row) => row.style === style)).toBe(true);
  });

  it('has about thirty messages in other languages, some in the test split', () => {
    const others = rows.filter((row) => !(CARE_LANGUAGES as readonly string[]).includes(row.language));
    expect(others.length).toBeGreaterThanOrEqual(30);
    expect(new Set(others.map((row) => row.language)).size).toBeGreaterThanOrEqual(6);
    expect(others.some((row) => row.split === 'test')).toBe(true);
  });

  it('has a fresh held-out set, all test, balanced per language', () => {
    const fresh = loadCareSet(CARE_FRESH_FILE);
    expect(fresh.every((row) => row.split === 'test')).toBe(true);
    for (const language of CARE_LANGUAGES) expect(fresh.filter((row) => row.language === language && row.label === 'negative').length).toBe(5);
    expect(fresh.some((row) => rows.some((care) => care.id === row.id))).toBe(false);
  });
});
