import { extractHashtags, findingsForHashtags, hashtagConfirmKey, hashtagQuerySchema, hashtagsOf, normalizeHashtag, unknownHashtag, type HashtagKnowledge } from './hashtags';

const knowledge = (tag: string, fields: Partial<HashtagKnowledge> = {}): HashtagKnowledge => ({ ...unknownHashtag(tag), ...fields });

describe('hashtags in a text', () => {
  it('finds hashtags with their spans, as platforms read them', () => {
    const text = 'Congrats! #NotGuilty and #día_de_suerte, ＃Ｓａｌｅ';
    expect(extractHashtags(text)).toEqual([
      { text: '#NotGuilty', tag: 'notguilty', start: 10, end: 20 },
      { text: '#día_de_suerte', tag: 'día_de_suerte', start: 25, end: 39 },
      { text: '＃Ｓａｌｅ', tag: 'sale', start: 41, end: 46 },
    ]);
    for (const found of extractHashtags(text)) expect(text.slice(found.start, found.end)).toBe(found.text);
  });

  it('leaves out what is no hashtag: numbers alone, words with a sign inside, links, entities, double signs', () => {
    const text = 'Order #2024 is here: see https://acme.test/help#returns or https://acme.test/#top, a#b, &#39; ##x';
    expect(extractHashtags(text)).toEqual([]);
  });

  it('counts UTF-16 offsets after emoji, as the composer highlights them', () => {
    const [found] = extractHashtags('😀 #Bake');
    expect(found).toEqual({ text: '#Bake', tag: 'bake', start: 3, end: 8 });
  });

  it('normalizes case, the sign and compatibility forms into one key', () => {
    expect(normalizeHashtag('#NotGuilty')).toBe('notguilty');
    expect(normalizeHashtag('Ｎｏｔguilty')).toBe('notguilty');
    expect(hashtagConfirmKey('#NotGuilty')).toBe('hashtag:#notguilty');
    expect(hashtagsOf('#Sale #sale #SALE')).toEqual(['sale']);
  });

  it('parses the tags asked for, with or without their sign, refusing none and too many', () => {
    expect(hashtagQuerySchema.parse({ tags: '#NotGuilty,sale,,Sale' }).tags).toEqual(['notguilty', 'sale']);
    expect(hashtagQuerySchema.parse({}).tags).toEqual([]);
    expect(hashtagQuerySchema.safeParse({ tags: ',' }).success).toBe(false);
    expect(hashtagQuerySchema.safeParse({ tags: Array.from({ length: 21 }, (_, index) => `t${index}`).join(',') }).success).toBe(false);
  });
});

describe('hashtag findings', () => {
  const example = { messageId: 'm1', ticketId: 't1', text: 'Verdict day #NotGuilty', authorName: 'Kay', authorHandle: 'kay', sentAt: '2026-11-20T09:00:00.000Z' };

  it('warns about a hashtag the brand never used, naming it, with its confirm key', () => {
    const [finding, ...rest] = findingsForHashtags('Fresh bread today #NotGuilty', (tag) => knowledge(tag));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ kind: 'hashtag', severity: 'warn', text: '#NotGuilty', start: 18, end: 28, confirmKey: 'hashtag:#notguilty', examples: [] });
    expect(finding?.message).toMatch(/never used/);
  });

  it('says nothing of a hashtag the brand used and nobody is piling onto', () => {
    expect(findingsForHashtags('Happy #Friday', (tag) => knowledge(tag, { usedByBrand: true, brandUses: 4, recentPosts: 2 }))).toEqual([]);
  });

  it('warns about a trending hashtag even when the brand used it, with the posts that used it', () => {
    const [finding] = findingsForHashtags('#NotGuilty bakes', (tag) => knowledge(tag, { usedByBrand: true, brandUses: 1, recentPosts: 3, examples: [example] }));
    expect(finding?.message).toMatch(/trending: it is in 3 public posts on this channel in the last 24 hours/);
    expect(finding?.examples).toEqual([example]);
  });

  it('marks every occurrence, and leaves out tags not known yet', () => {
    const findings = findingsForHashtags('#new and #New again, #pending', (tag) => (tag === 'pending' ? undefined : knowledge(tag)));
    expect(findings.map((finding) => [finding.text, finding.start])).toEqual([
      ['#new', 0],
      ['#New', 9],
    ]);
  });
});
