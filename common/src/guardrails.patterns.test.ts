import { compileReferencePattern, referencePatternProblem } from './guardrails.patterns';
import { guardrailSettingsSchema } from './guardrails.settings';

describe('reference patterns', () => {
  it.each(['ORD-\\d{6}', '#?[A-Z]\\d{4}\\b', '\\bBK[0-9A-Z]{6}\\b', '(?:\\d{3}-)+\\d{2}', '(?:-?\\d)+X', 'R[ée]f\\.?\\s?\\d{5,8}'])('accepts %s', (pattern) => {
    expect(referencePatternProblem(pattern)).toBeNull();
    expect(compileReferencePattern(pattern)).toBeInstanceOf(RegExp);
  });

  it.each([
    ['[A-Z', /not a valid regular expression \(Unterminated character class\)/],
    ['(a+)+$', /repeats a repeat/],
    ['(\\w+\\s?)+!', /repeats a repeat/],
    ['(a|ab)+c', /alternatives that can match the same text/],
    ['(\\d|\\w)+#', /alternatives that can match the same text/],
    ['\\d+\\d+x', /two repeats of the same characters in a row/],
    ['ref.*\\s*.*x', /two repeats of the same characters in a row/],
    ['(\\d)\\1', /backreference/],
    ['\\d*', /empty text/],
    ['A?', /empty text/],
    ['[a-z]+', /too broad: it matches "Thank"/],
    ['[\\p{L}]{4,}', /too broad/],
  ])('refuses %s', (pattern, problem) => {
    expect(referencePatternProblem(pattern)).toMatch(problem);
    expect(compileReferencePattern(pattern)).toBeNull();
  });

  it('names the pattern that is wrong when settings are validated', () => {
    const result = guardrailSettingsSchema.safeParse({ referencePatterns: ['ORD-\\d{6}', '(x+)+y'] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['referencePatterns', 1], message: expect.stringMatching(/repeats a repeat/) as unknown });
  });
});
