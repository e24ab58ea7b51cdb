import { ConfigError, loadConfig } from './config';

const base = { MONGODB_URI: 'mongodb://127.0.0.1:27017/parley', REDIS_URL: 'redis://127.0.0.1:6379' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('fills in defaults for a minimal environment', () => {
    const config = loadConfig(base);
    expect(config.PORT).toBe(3000);
    expect(config.NODE_ENV).toBe('development');
    expect(config.QUEUE_PREFIX).toBe('parley');
    expect(config.PARLEY_SEED_DEMO).toBe(false);
  });

  it('names every missing variable', () => {
    expect(problems({})).toEqual(['MONGODB_URI is required', 'REDIS_URL is required']);
  });

  it('treats an empty variable as unset', () => {
    expect(problems({ ...base, REDIS_URL: '' })).toEqual(['REDIS_URL is required']);
  });

  it('names a bad value and says what it should be', () => {
    const found = problems({ ...base, PORT: 'eighty', MONGODB_URI: 'postgres://x' });
    expect(found).toHaveLength(2);
    expect(found.find((line) => line.startsWith('PORT '))).toBeDefined();
    expect(found).toContain('MONGODB_URI must start with mongodb:// or mongodb+srv://');
  });

  it('requires a 32-byte credentials key in production', () => {
    expect(problems({ ...base, NODE_ENV: 'production' })).toEqual(['CREDENTIALS_KEY is required in production']);
    expect(problems({ ...base, NODE_ENV: 'production', CREDENTIALS_KEY: 'c2hvcnQ=' })[0]).toMatch(/^CREDENTIALS_KEY must be 32 bytes/);
    expect(problems({ ...base, NODE_ENV: 'production', CREDENTIALS_KEY: Buffer.alloc(32, 7).toString('base64') })).toEqual([]);
  });

  it('reads booleans the way people write them', () => {
    expect(loadConfig({ ...base, PARLEY_SEED_DEMO: 'yes', TRUST_PROXY: '1' })).toMatchObject({ PARLEY_SEED_DEMO: true, TRUST_PROXY: true });
    expect(problems({ ...base, TRUST_PROXY: 'maybe' })[0]).toMatch(/^TRUST_PROXY /);
  });
});
