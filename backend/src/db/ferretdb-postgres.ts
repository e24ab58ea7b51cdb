import mongoose from 'mongoose';
import { Client } from 'pg';
import type { Logger } from '../logger';

/**
 * Indexes for FerretDB v1 on PostgreSQL, which pushes an equality filter down as
 * `_jsonb -> 'field' @> value`. The btree indexes FerretDB builds from MongoDB index
 * definitions cannot serve that operator, so without help every find — findById
 * included — is a sequential scan of the whole table (about 50 ms at 100,000 tickets on
 * this machine). A GIN index on each indexed field's expression can serve it, and
 * custom plans (plan_cache_mode) let PostgreSQL match the expression, since FerretDB
 * sends the field name as a statement parameter.
 *
 * Only for a FerretDB on PostgreSQL (FERRETDB_POSTGRESQL_URL); MongoDB uses its own
 * indexes and needs none of this. Safe to run at every start: everything is IF NOT EXISTS.
 */

const METADATA_TABLE = '_ferretdb_database_metadata';

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/** Fields worth an index: _id and every field of every index the model declares. */
function indexedFields(model: mongoose.Model<unknown>): string[] {
  const fields = new Set(['_id']);
  for (const [spec] of model.schema.indexes()) for (const field of Object.keys(spec)) if (!field.includes('.')) fields.add(field);
  return [...fields];
}

export interface PushdownIndexReport {
  collections: number;
  created: string[];
}

export async function ensurePushdownIndexes(postgresUrl: string, log: Logger): Promise<PushdownIndexReport> {
  const schema = mongoose.connection.db?.databaseName;
  if (!schema) throw new Error('connect to MongoDB before building FerretDB pushdown indexes');
  const client = new Client({ connectionString: postgresUrl });
  await client.connect();
  const created: string[] = [];
  let collections = 0;
  try {
    // Takes effect for FerretDB's new connections; the provisioner sets it before FerretDB starts.
    await client.query(`ALTER DATABASE ${quote((await client.query<{ db: string }>('SELECT current_database() AS db')).rows[0]?.db ?? '')} SET plan_cache_mode = force_custom_plan`);
    for (const model of Object.values(mongoose.models)) {
      const collection = model.collection.collectionName;
      const found = await client.query<{ table: string }>(`SELECT _jsonb->>'table' AS table FROM ${quote(schema)}.${quote(METADATA_TABLE)} WHERE _jsonb->>'_id' = $1`, [collection]);
      const table = found.rows[0]?.table;
      if (!table) continue;
      collections += 1;
      for (const field of indexedFields(model as mongoose.Model<unknown>)) {
        const name = `${table.slice(0, 40)}_pd_${field.replace(/[^A-Za-z0-9_]/g, '_')}`.slice(0, 63);
        const exists = await client.query('SELECT 1 FROM pg_indexes WHERE schemaname = $1 AND indexname = $2', [schema, name]);
        if (exists.rowCount) continue;
        const fieldLiteral = `'${field.replace(/'/g, "''")}'`;
        await client.query(`CREATE INDEX IF NOT EXISTS ${quote(name)} ON ${quote(schema)}.${quote(table)} USING gin ((_jsonb -> ${fieldLiteral}) jsonb_path_ops)`);
        created.push(`${collection}.${field}`);
      }
    }
  } finally {
    await client.end();
  }
  if (created.length > 0) log.info({ indexes: created }, 'FerretDB pushdown indexes created in PostgreSQL');
  return { collections, created };
}
