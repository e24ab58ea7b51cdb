import { ruleInputSchema } from '@parley/common';
import { draftOf, emptyDraft, errorAt, inputOf, keyed, moved, newAction, newCondition, splitList, withOperator } from './rule-draft';

describe('the rule editor draft', () => {
  it('sends the API the rule without the editor row keys', () => {
    const draft = { ...emptyDraft(), name: 'Refunds', conditions: { all: [keyed(newCondition('keywords'))], any: [] }, actions: [keyed(newAction('add_tag'))] };
    expect(inputOf(draft)).toEqual({
      name: 'Refunds',
      active: false,
      stopProcessing: false,
      triggers: ['ticket.created'],
      conditions: { all: [{ field: 'keywords', op: 'any', words: [] }], any: [] },
      actions: [{ type: 'add_tag', tag: '' }],
    });
    const rule = { ...ruleInputSchema.parse({ ...inputOf(draft), conditions: { all: [{ field: 'keywords', op: 'any', words: ['refund'] }] }, actions: [{ type: 'add_tag', tag: 'refund' }] }), id: 'a'.repeat(24), order: 1, createdAt: '', updatedAt: '' };
    expect(inputOf(draftOf(rule))).toMatchObject({ conditions: { all: [{ words: ['refund'] }] }, actions: [{ tag: 'refund' }] });
  });

  it('gives every new condition a shape the schema knows, and keeps or drops languages with the operator', () => {
    for (const field of ['channel', 'channelKind', 'visibility', 'language', 'keywords', 'text', 'authorFollowers', 'authorVerified', 'businessHours', 'status', 'priority'] as const) {
      expect(newCondition(field).field).toBe(field);
    }
    const language = { field: 'language' as const, op: 'in' as const, values: ['en'] };
    expect(withOperator(language, 'unknown')).toEqual({ field: 'language', op: 'unknown' });
    expect(withOperator(withOperator(language, 'unknown'), 'not_in')).toEqual({ field: 'language', op: 'not_in', values: [] });
    expect(withOperator(language, 'not_in')).toEqual({ field: 'language', op: 'not_in', values: ['en'] });
  });

  it('puts a server error under the input whose path it falls under', () => {
    const error = { field: 'conditions.all.0.words.1', message: 'conditions.all.0.words.1 has no word to look for' };
    expect(errorAt(error, 'conditions.all.0')).toBe(error.message);
    expect(errorAt(error, 'conditions.all.0.words')).toBe(error.message);
    expect(errorAt(error, 'conditions.all.1')).toBeUndefined();
    expect(errorAt(error, 'conditions.all.0.word')).toBeUndefined();
    expect(errorAt({ message: 'no field' }, 'name')).toBeUndefined();
  });

  it('moves actions and splits typed lists', () => {
    expect(moved(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moved(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(splitList('en, es,,fr ', 'comma')).toEqual(['en', 'es', 'fr']);
    expect(splitList('never arrived\n refund \n\n', 'line')).toEqual(['never arrived', 'refund']);
  });
});
