import { DEFAULT_TRIAGE_KEYWORDS, engagementTotal, ticketSentimentOf, triagePriority, triageSettingsSchema, type PriorityInputs } from './triage';

const base: PriorityInputs = { tier: 'standard', listedAs: null, sentiment: { score: 0, label: 'neutral' }, visibility: 'public', keywords: [], engagement: null };
const negative = { score: -0.4, label: 'negative' } as const;

describe('triage priority', () => {
  it('puts a celebrity’s negative public post at urgent and says why', () => {
    expect(triagePriority({ ...base, tier: 'celebrity', sentiment: negative })).toEqual({ priority: 'urgent', reason: 'celebrity reach · negative · public', points: 5 });
  });

  it('weighs reach, sentiment and a public stage step by step', () => {
    expect(triagePriority({ ...base, tier: 'high', sentiment: negative }).priority).toBe('high');
    expect(triagePriority({ ...base, sentiment: negative })).toMatchObject({ priority: 'normal', reason: 'standard reach · negative · public', points: 2 });
    expect(triagePriority({ ...base, sentiment: negative, visibility: 'private' })).toMatchObject({ priority: 'normal', points: 1 });
    expect(triagePriority({ ...base, sentiment: { score: -0.8, label: 'negative' } })).toMatchObject({ reason: 'standard reach · very negative · public', points: 3, priority: 'high' });
    // A neutral question from someone without reach gains nothing from being public.
    expect(triagePriority(base)).toMatchObject({ priority: 'normal', points: 0, reason: 'standard reach · neutral · public' });
    expect(triagePriority({ ...base, sentiment: { score: 0.7, label: 'positive' } }).priority).toBe('low');
  });

  it('names the brand’s lists in the reason', () => {
    expect(triagePriority({ ...base, tier: 'vip', listedAs: 'vip', sentiment: negative })).toMatchObject({ priority: 'high', reason: 'VIP list · negative · public' });
    expect(triagePriority({ ...base, tier: 'vip', listedAs: 'press', visibility: 'private' }).reason).toBe('press list · neutral · private');
  });

  it('lets keywords set a floor or raise a step, in any language', () => {
    const lawsuit = { term: 'abogado', level: 'urgent' as const };
    const refund = { term: 'remboursement', level: 'raise' as const };
    expect(triagePriority({ ...base, keywords: [lawsuit] })).toMatchObject({ priority: 'urgent', reason: 'standard reach · neutral · public · “abogado”' });
    expect(triagePriority({ ...base, visibility: 'private', keywords: [refund] })).toMatchObject({ priority: 'normal', points: 1 });
    expect(triagePriority({ ...base, sentiment: negative, keywords: [refund, { term: 'annuler', level: 'raise' }, { term: 'plainte', level: 'raise' }] }).points).toBe(4);
  });

  it('counts engagement on the post, reposts double', () => {
    expect(engagementTotal({ likes: 10, replies: 5, reposts: 10, quotes: 5 })).toBe(45);
    expect(triagePriority({ ...base, sentiment: negative, engagement: { likes: 400, replies: 20, reposts: 50, quotes: 0 } })).toMatchObject({ points: 4, reason: 'standard reach · negative · public · 520 interactions' });
  });

  it('goes by reach alone while the words are not read yet', () => {
    expect(triagePriority({ ...base, tier: 'celebrity', sentiment: null })).toEqual({ priority: 'high', reason: 'celebrity reach · sentiment pending · public', points: 4 });
  });
});

describe('a ticket’s sentiment', () => {
  it('follows the latest messages, the newest weighing most', () => {
    expect(ticketSentimentOf([])).toBeNull();
    // One thanks after two complaints: still a customer to handle with care.
    expect(ticketSentimentOf([{ score: 0.6, label: 'positive' }, negative, negative])).toEqual({ score: 0.044, label: 'negative' });
    expect(ticketSentimentOf([{ score: 0.6, label: 'positive' }, { score: 0.5, label: 'positive' }, negative])).toMatchObject({ label: 'positive' });
    // A tie goes to the newest.
    expect(ticketSentimentOf([{ score: 0.6, label: 'positive' }, negative])?.label).toBe('positive');
    expect(ticketSentimentOf([negative, { score: 0.6, label: 'positive' }, { score: 0.6, label: 'positive' }])?.label).toBe('positive');
    expect(ticketSentimentOf([negative, { score: 0.6, label: 'positive' }])?.label).toBe('negative');
  });
});

describe('triage settings', () => {
  it('come with care keywords in English, Spanish and French', () => {
    const settings = triageSettingsSchema.parse({});
    expect(settings.keywords).toEqual(DEFAULT_TRIAGE_KEYWORDS);
    expect(settings.keywords.map((keyword) => keyword.term)).toEqual(expect.arrayContaining(['lawsuit', 'refund', 'dangerous', 'abogado', 'remboursement']));
    expect(settings.storm).toEqual({ minMentions: 10, deviations: 3, baselineHalfLifeMinutes: 120 });
    expect(triageSettingsSchema.safeParse({ keywords: [{ term: '!!!', level: 'raise' }] }).error?.issues[0]?.path).toEqual(['keywords', 0, 'term']);
  });
});
