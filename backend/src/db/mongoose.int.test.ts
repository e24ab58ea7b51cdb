import mongoose, { Schema, model } from 'mongoose';
import { Conflict } from '../http/errors';
import { testConfig } from '../test/harness';
import { isDuplicateKeyError, withConflict } from './errors';

/**
 * Proves that mongoose talks to the MongoDB-compatible server the tests run on
 * (FerretDB v1.24.2 under `npm test`) for everything Parley builds on.
 */
interface Gadget {
  sku: string;
  name: string;
  stock: number;
  tags: string[];
  history: { at: Date; note: string }[];
}

const Gadget = model<Gadget>(
  'Gadget',
  new Schema<Gadget>({
    sku: { type: String, required: true, unique: true },
    name: String,
    stock: { type: Number, default: 0 },
    tags: [String],
    history: [{ at: Date, note: String }],
  }),
);

beforeAll(async () => {
  await mongoose.connect(testConfig().MONGODB_URI);
  await Gadget.init();
});

afterAll(async () => {
  await mongoose.connection.dropDatabase();
  await mongoose.disconnect();
});

describe('mongoose on the test database', () => {
  it('creates a document and reads it back', async () => {
    const created = await Gadget.create({ sku: 'A-1', name: 'Widget', tags: ['blue'] });
    const found = await Gadget.findById(created._id).lean();
    expect(found).toMatchObject({ sku: 'A-1', name: 'Widget', stock: 0, tags: ['blue'] });
  });

  it('updates with $set, $inc and $push', async () => {
    await Gadget.create({ sku: 'B-1', name: 'Old' });
    await Gadget.updateOne({ sku: 'B-1' }, { $set: { name: 'New' }, $inc: { stock: 5 }, $push: { tags: { $each: ['a', 'b'] } } });
    await Gadget.updateOne({ sku: 'B-1' }, { $inc: { stock: -2 }, $push: { history: { at: new Date(0), note: 'sold' } } });
    const found = await Gadget.findOne({ sku: 'B-1' }).lean();
    expect(found).toMatchObject({ name: 'New', stock: 3, tags: ['a', 'b'], history: [{ note: 'sold', at: new Date(0) }] });
  });

  it('upserts with findOneAndUpdate and then updates the same document', async () => {
    const first = await Gadget.findOneAndUpdate({ sku: 'C-1' }, { $setOnInsert: { name: 'Fresh' }, $inc: { stock: 1 } }, { upsert: true, returnDocument: 'after' }).lean();
    const second = await Gadget.findOneAndUpdate({ sku: 'C-1' }, { $setOnInsert: { name: 'Ignored' }, $inc: { stock: 1 } }, { upsert: true, returnDocument: 'after' }).lean();
    expect(first?._id.toHexString()).toBe(second?._id.toHexString());
    expect(second).toMatchObject({ name: 'Fresh', stock: 2 });
    expect(await Gadget.countDocuments({ sku: 'C-1' })).toBe(1);
  });

  it('rejects a duplicate on insert with code 11000', async () => {
    await Gadget.create({ sku: 'D-1' });
    const error: unknown = await Gadget.create({ sku: 'D-1' }).catch((caught: unknown) => caught);
    expect((error as { code?: number }).code).toBe(11000);
    expect(isDuplicateKeyError(error)).toBe(true);
    expect(await Gadget.countDocuments({ sku: 'D-1' })).toBe(1);
  });

  it('rejects a duplicate caused by an update, and both map to one Conflict', async () => {
    await Gadget.create([{ sku: 'E-1' }, { sku: 'E-2' }]);
    const updateError: unknown = await Gadget.updateOne({ sku: 'E-2' }, { $set: { sku: 'E-1' } }).catch((caught: unknown) => caught);
    expect(isDuplicateKeyError(updateError)).toBe(true);
    await expect(withConflict(() => Gadget.updateOne({ sku: 'E-2' }, { $set: { sku: 'E-1' } }), 'SKU taken', 'sku')).rejects.toEqual(
      new Conflict('SKU taken', 'sku'),
    );
    await expect(withConflict(() => Gadget.create({ sku: 'E-1' }), 'SKU taken', 'sku')).rejects.toBeInstanceOf(Conflict);
    expect(await Gadget.countDocuments({ sku: { $in: ['E-1', 'E-2'] } })).toBe(2);
  });

  it('rejects a duplicate caused by an upsert', async () => {
    await Gadget.create({ sku: 'F-1', name: 'taken' });
    const error: unknown = await Gadget.updateOne({ name: 'nobody' }, { $set: { sku: 'F-1' } }, { upsert: true }).catch((caught: unknown) => caught);
    expect(isDuplicateKeyError(error)).toBe(true);
  });

  it('passes other errors through withConflict untouched', async () => {
    const failure = new Error('disk on fire');
    await expect(withConflict(() => Promise.reject(failure), 'x')).rejects.toBe(failure);
  });
});
