import path from 'node:path';
import { z } from 'zod';

/**
 * Every setting Parley reads from its environment, validated once at start-up.
 * Nothing else in the backend reads process.env: the parsed Config is passed down.
 */

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const port = z.coerce.number().int().min(0).max(65535);

const mongoUri = z
  .string()
  .min(1)
  .refine((value) => /^mongodb(\+srv)?:\/\//.test(value), 'must start with mongodb:// or mongodb+srv://');

const redisUrl = z
  .string()
  .min(1)
  .refine((value) => /^rediss?:\/\//.test(value), 'must start with redis:// or rediss://');

/** One key, or several comma-separated (newest first) while rotating; see channels/credentials.ts. */
const credentialsKey = z
  .string()
  .refine(
    (value) => value.split(',').every((part) => Buffer.from(part.trim(), 'base64').length === 32),
    'must be 32 bytes, base64-encoded (openssl rand -base64 32), or several such keys separated by commas, newest first',
  );

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: port.default(3000),
    PUBLIC_URL: z.url().optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_PRETTY: booleanFlag.optional(),
    MONGODB_URI: mongoUri,
    REDIS_URL: redisUrl,
    /**
     * When MONGODB_URI is a FerretDB on PostgreSQL: that PostgreSQL database, so Parley can
     * add the indexes FerretDB's filter pushdown can use (see db/ferretdb-postgres.ts).
     */
    FERRETDB_POSTGRESQL_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://').optional(),
    QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]+$/).default('parley'),
    CREDENTIALS_KEY: credentialsKey.optional(),
    /** While rotating: the key being retired; credentials it sealed are still read (see README, Configuration). */
    CREDENTIALS_KEY_PREVIOUS: credentialsKey.optional(),
    BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/i, 'must look like 1mb or 512kb').default('1mb'),
    SESSION_TTL_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
    LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(10),
    LOGIN_RATE_WINDOW_MINUTES: z.coerce.number().positive().default(15),
    /** Failed sign-ins per client address, whatever the email, in that window. */
    LOGIN_RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().positive().default(20),
    TRUST_PROXY: booleanFlag.default(false),
    INBOUND_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
    /**
     * How often workers look for work whose job was lost (pending raw events, replies waiting
     * for delivery); work queued more than two such periods ago without a live job is queued again.
     */
    SWEEP_INTERVAL_SECONDS: z.coerce.number().positive().max(3_600).default(15),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    /** How long one turn of the chatbot may take before it counts as broken and people take the conversation. */
    BOT_TURN_TIMEOUT_MS: z.coerce.number().int().positive().max(120_000).default(20_000),
    WEB_DIST_DIR: z.string().min(1).default(path.resolve(__dirname, '../../frontend/dist')),
    PARLEY_SEED_DEMO: booleanFlag.default(false),
    /** Set by `npm start`: stop when that process is gone, so a killed launcher leaves nothing running. */
    PARLEY_PARENT_PID: z.coerce.number().int().positive().optional(),
    PARLEY_DEMO_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
    /** The `simulator` role: simulated customer events a minute (0: none, only the backlog and answers). */
    SIMULATOR_RATE_PER_MINUTE: z.coerce.number().min(0).max(6_000).default(6),
    /** Conversations the simulator back-fills over the last hours into empty simulator channels. */
    SIMULATOR_BACKLOG: z.coerce.number().int().min(0).max(1_000).default(25),
    /** Seed of the simulated stream (one seed, one stream); random when unset. */
    SIMULATOR_SEED: z.string().min(1).optional(),
    /** Where the simulator posts its webhooks; the api of the same process when unset. */
    SIMULATOR_TARGET_URL: z.url({ protocol: /^https?$/ }).optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.CREDENTIALS_KEY) {
      ctx.addIssue({ code: 'custom', path: ['CREDENTIALS_KEY'], message: 'is required in production' });
    }
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as it does in docker compose files.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = configSchema.safeParse(present);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = issue.path.join('.') || 'environment';
        const message = issue.code === 'invalid_type' && present[name] === undefined ? 'is required' : issue.message;
        return `${name} ${message}`;
      }),
    );
  }
  // Reading falls back to the previous key: channels/credentials.ts tries the listed keys in turn.
  const { CREDENTIALS_KEY, CREDENTIALS_KEY_PREVIOUS } = result.data;
  if (CREDENTIALS_KEY && CREDENTIALS_KEY_PREVIOUS) return { ...result.data, CREDENTIALS_KEY: `${CREDENTIALS_KEY},${CREDENTIALS_KEY_PREVIOUS}` };
  return result.data;
}
