import { isDuplicateKeyError } from './errors';

describe('isDuplicateKeyError', () => {
  it('recognises every server\'s way of reporting a duplicate key', () => {
    expect(isDuplicateKeyError({ code: 11000, message: 'E11000 duplicate key error', keyValue: { sku: 'x' } })).toBe(true);
    expect(isDuplicateKeyError({ code: 11000, message: 'E11000 duplicate key error collection: db.gadgets' })).toBe(true);
    expect(isDuplicateKeyError({ code: 1, message: "constraint failed: UNIQUE constraint failed: index 'gadgets_sku_1' (2067)" })).toBe(true);
    expect(isDuplicateKeyError({ code: 1, message: 'ERROR: duplicate key value violates unique constraint "gadgets_sku_idx" (SQLSTATE 23505)' })).toBe(true);
  });

  it('leaves other failures alone', () => {
    expect(isDuplicateKeyError({ code: 1, message: 'ERROR: deadlock detected (SQLSTATE 40P01)' })).toBe(false);
    expect(isDuplicateKeyError(new Error('connection closed'))).toBe(false);
    expect(isDuplicateKeyError(undefined)).toBe(false);
  });
});
