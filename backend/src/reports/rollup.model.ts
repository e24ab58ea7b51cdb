import { Schema, model } from 'mongoose';
import type { Priority } from '@parley/common';

/** Counters by name (rollup.facts.ts names them): only the non-zero ones are stored. */
export type RollupCounts = Record<string, number>;

/**
 * One hour (UTC) × team × agent × channel × priority of what tickets contributed: the only
 * thing reports read. `_id` is the rollup key (rollupKeyOf); `day` (UTC, YYYY-MM-DD) is what a
 * report queries on, an equality FerretDB pushes down, one query per day.
 */
export interface RollupDoc {
  _id: string;
  hour: Date;
  day: string;
  teamKey: string;
  agentKey: string;
  channelKey: string;
  priority: Priority;
  counts: RollupCounts;
}

const rollupSchema = new Schema<RollupDoc>(
  {
    _id: String,
    hour: { type: Date, required: true },
    day: { type: String, required: true },
    teamKey: { type: String, required: true },
    agentKey: { type: String, required: true },
    channelKey: { type: String, required: true },
    priority: { type: String, required: true },
    counts: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false, minimize: false },
);
rollupSchema.index({ day: 1 });

export const Rollup = model<RollupDoc>('Rollup', rollupSchema, 'rollups');

/**
 * What one ticket contributes, as last counted, to one rollup ("<ticketId>:<part>": the part
 * counted in its creation hour, or in its solved hour). A rollup is always the sum of its facts,
 * recomputed under the rollup's lock, so a replayed or reordered event converges instead of
 * counting twice. `dirtyKeys` are rollups still to recompute since the fact changed (a crash in
 * between leaves them for the next run on this ticket).
 */
export interface RollupFactDoc {
  _id: string;
  ticketId: string;
  rollupKey: string | null;
  counts: RollupCounts;
  dirtyKeys: string[];
}

const rollupFactSchema = new Schema<RollupFactDoc>(
  {
    _id: String,
    ticketId: { type: String, required: true },
    rollupKey: { type: String, default: null },
    counts: { type: Schema.Types.Mixed, required: true },
    dirtyKeys: { type: [String], default: [] },
  },
  { versionKey: false, minimize: false },
);
rollupFactSchema.index({ rollupKey: 1 });
rollupFactSchema.index({ ticketId: 1 });

export const RollupFact = model<RollupFactDoc>('RollupFact', rollupFactSchema, 'rollupFacts');
