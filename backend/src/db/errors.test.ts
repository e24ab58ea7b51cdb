import { MongoNetworkError, MongoNotConnectedError } from 'mongodb';
import { isConnectionLost, isDatabaseUnavailable, isDuplicateKeyError } from './errors';

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

describe('isDatabaseUnavailable', () => {
  it('recognises the driver and mongoose telling that the server cannot be reached', () => {
    expect(isDatabaseUnavailable(new MongoNetworkError('connect ECONNREFUSED 127.0.0.1:27017'))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('Server selection timed out after 5000 ms'), { name: 'MongooseServerSelectionError' }))).toBe(true);
    expect(isDatabaseUnavailable(new MongoNotConnectedError('Client must be connected before running operations'))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('Operation `rawEvents.insertOne()` buffering timed out after 10000ms'), { name: 'MongooseError' }))).toBe(true);
    // insertMany cut off by a lost connection: the bulk error wraps the network error.
    expect(isDatabaseUnavailable(Object.assign(new Error('read ECONNRESET'), { name: 'MongoBulkWriteError', errorResponse: new MongoNetworkError('read ECONNRESET') }))).toBe(true);
  });

  it('leaves failures of the request itself alone', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('E11000 duplicate key error'), { name: 'MongoServerError', code: 11000 }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('Cast to ObjectId failed'), { name: 'CastError' }))).toBe(false);
    expect(isDatabaseUnavailable('MongoNetworkError')).toBe(false);
  });
});

describe('isConnectionLost', () => {
  it('recognises a connection cut under a command, and nothing else', () => {
    expect(isConnectionLost(Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' }))).toBe(true);
    expect(isConnectionLost(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isConnectionLost(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBe(false);
    expect(isConnectionLost(new Error('EPIPE'))).toBe(false);
  });
});
