import { measureReply, replyPlatformOf } from './reply-limits';

describe('reply limits', () => {
  it('follows the platform a simulated channel imitates', () => {
    expect(replyPlatformOf('simulator', 'instagram')).toBe('instagram');
    expect(replyPlatformOf('simulator', undefined)).toBe('other');
    expect(replyPlatformOf('x', 'facebook')).toBe('x');
    expect(replyPlatformOf('webhook', undefined)).toBe('other');
  });

  it('counts characters as people do, and an X post by the weight the caller gives', () => {
    expect(measureReply('👍🏽 ok', 'facebook', 'private')).toEqual({ used: 5, limit: 2_000 });
    expect(measureReply('hello', 'x', 'public', () => 42)).toEqual({ used: 42, limit: 280 });
    expect(measureReply('hello', 'x', 'public')).toEqual({ used: 5, limit: 280 });
    expect(measureReply('hello', 'instagram', 'note')).toEqual({ used: 5, limit: 10_000 });
  });
});
