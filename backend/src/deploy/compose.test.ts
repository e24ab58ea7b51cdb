/**
 * The production deployment (docker-compose.yml, Dockerfile, deploy/nginx.conf) read
 * as text, since no Docker engine is needed to judge it: services and images, health
 * gates, the environment against config.ts's schema, and no secret in the files.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Script } from 'node:vm';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConfigError, configSchema, loadConfig, type Config } from '../config';

const repoRoot = path.resolve(__dirname, '../../..');
const composePath = path.join(repoRoot, 'docker-compose.yml');
const dockerfilePath = path.join(repoRoot, 'Dockerfile');
const nginxConfPath = path.join(repoRoot, 'deploy/nginx.conf');

type OperatorEnv = Readonly<Record<string, string | undefined>>;

/** What an operator must export before `docker compose up`: only the key, here a dummy one. */
const operatorEnv: OperatorEnv = { CREDENTIALS_KEY: Buffer.alloc(32, 7).toString('base64') };

// ---- docker compose variable interpolation -------------------------------------------

class MissingVariableError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`${variable}: ${detail}`);
  }
}

// $$ | ${NAME} | ${NAME<op>word} with op one of :- - :? ? :+ + | $NAME
const reference = /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:-|-|:\?|\?|:\+|\+)([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Resolves one string the way docker compose does (no nested references in defaults). */
function interpolate(text: string, env: OperatorEnv): string {
  type Group = string | undefined;
  const resolved = text.replace(reference, (match: string, dollar: Group, braced: Group, operator: Group, givenWord: Group, bare: Group): string => {
    if (dollar) return '$';
    const word = givenWord ?? '';
    const name = braced ?? bare;
    if (!name) throw new Error(`cannot read ${match}`);
    const value = env[name];
    const unset = value === undefined;
    const unsetOrEmpty = unset || value === '';
    switch (operator) {
      case ':-':
        return unsetOrEmpty ? word : value;
      case '-':
        return unset ? word : value;
      case ':?':
        if (unsetOrEmpty) throw new MissingVariableError(name, word);
        return value;
      case '?':
        if (unset) throw new MissingVariableError(name, word);
        return value;
      case ':+':
        return unsetOrEmpty ? '' : word;
      case '+':
        return unset ? '' : word;
      default:
        return value ?? '';
    }
  });
  if (text.replace(reference, '').includes('$')) throw new Error(`unsupported interpolation in ${text}`);
  return resolved;
}

function interpolateDeep(value: unknown, env: OperatorEnv): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item: unknown) => interpolateDeep(item, env));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateDeep(item, env)]));
  }
  return value;
}

// ---- the parts of the compose format this test reads ----------------------------------

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const serviceSchema = z
  .object({
    image: z.string().optional(),
    build: z.union([z.string(), z.looseObject({ context: z.string().optional(), target: z.string().optional() })]).optional(),
    command: z.union([z.string(), z.array(z.string())]).optional(),
    environment: z.union([z.record(z.string(), scalar), z.array(z.string())]).optional(),
    depends_on: z.union([z.array(z.string()), z.record(z.string(), z.looseObject({ condition: z.string().optional() }))]).optional(),
    healthcheck: z.looseObject({ test: z.union([z.string(), z.array(z.string())]).optional(), disable: z.boolean().optional() }).optional(),
    ports: z.array(z.union([z.string(), z.number(), z.looseObject({ target: z.number(), published: scalar.optional() })])).optional(),
  })
  .loose();
const composeSchema = z.looseObject({ services: z.record(z.string(), serviceSchema) });
type Service = z.infer<typeof serviceSchema>;
type Compose = z.infer<typeof composeSchema>;

function readComposeYaml(): unknown {
  // docker compose honours YAML merge keys (<<: *anchor); so must the parser.
  return parse(readFileSync(composePath, 'utf8'), { merge: true });
}

/** The compose file as `docker compose config` would see it with `env` exported. */
function loadCompose(env: OperatorEnv = operatorEnv): Compose {
  return composeSchema.parse(interpolateDeep(readComposeYaml(), env));
}

function service(compose: Compose, name: string): Service {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

/** A service's environment as name → value; a bare name (`- FOO`) takes the operator's value. */
function environmentOf(svc: Service, env: OperatorEnv = operatorEnv): Record<string, string | undefined> {
  const entries: Array<[string, string | undefined]> = Array.isArray(svc.environment)
    ? svc.environment.map((line) => {
        const at = line.indexOf('=');
        return at === -1 ? [line, env[line]] : [line.slice(0, at), line.slice(at + 1)];
      })
    : Object.entries(svc.environment ?? {}).map(([name, value]) => [name, value === null ? env[name] : String(value)]);
  return Object.fromEntries(entries);
}

function configProblems(environment: Record<string, string | undefined>): string[] {
  try {
    loadConfig(environment);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

function buildTarget(svc: Service): string | undefined {
  return typeof svc.build === 'object' ? svc.build.target : undefined;
}

function dependencyConditions(svc: Service): Record<string, string | undefined> {
  const dependsOn = svc.depends_on ?? {};
  if (Array.isArray(dependsOn)) return Object.fromEntries(dependsOn.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(dependsOn).map(([name, dependency]) => [name, dependency.condition]));
}

/** The container ports a service publishes, with the host port each is published on. */
function publishedPorts(svc: Service): Array<{ host: string | undefined; container: number }> {
  return (svc.ports ?? []).map((port) => {
    if (typeof port === 'object') return { host: port.published == null ? undefined : String(port.published), container: port.target };
    const parts = String(port).replace(/\/(tcp|udp)$/, '').split(':');
    const container = Number(parts.at(-1));
    return { host: parts.length > 1 ? parts.at(-2) : undefined, container };
  });
}

function healthcheckCommand(svc: Service): string[] {
  const test = svc.healthcheck?.test;
  if (test === undefined || svc.healthcheck?.disable) return [];
  return typeof test === 'string' ? ['CMD-SHELL', test] : test;
}

const appServices = ['api', 'worker'] as const;

// ---- the tests -------------------------------------------------------------------------

describe('docker-compose.yml', () => {
  const compose = loadCompose();

  it('runs mongo, redis, api, worker and web from the expected images', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['mongo', 'redis', 'api', 'worker', 'web']));
    expect(service(compose, 'mongo').image).toBe('mongo:7');
    expect(service(compose, 'redis').image).toBe('redis:7-alpine');
    expect(buildTarget(service(compose, 'api'))).toBe('app');
    expect(buildTarget(service(compose, 'worker'))).toBe('app');
    expect(buildTarget(service(compose, 'web'))).toBe('web');
    expect(service(compose, 'api').command).toEqual(['api']);
    expect(service(compose, 'worker').command).toEqual(['worker']);
  });

  it('checks the health of mongo, redis and api', () => {
    const mongo = healthcheckCommand(service(compose, 'mongo'));
    expect(mongo.slice(0, 2)).toEqual(['CMD', 'mongosh']);
    expect(mongo.join(' ')).toContain("db.adminCommand('ping')");
    expect(healthcheckCommand(service(compose, 'redis'))).toEqual(['CMD', 'redis-cli', 'ping']);

    const api = healthcheckCommand(service(compose, 'api'));
    expect(api.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    const probe = api[3] ?? '';
    const port = configSchema.shape.PORT.parse(environmentOf(service(compose, 'api')).PORT);
    expect(probe).toContain(`:${port}/healthz`);
    // The probe is JavaScript run by `node -e`: it must at least compile.
    expect(() => new Script(probe)).not.toThrow();
  });

  it('starts api, worker and web only once what they need is healthy', () => {
    for (const name of appServices) {
      expect(dependencyConditions(service(compose, name))).toEqual({ mongo: 'service_healthy', redis: 'service_healthy' });
    }
    expect(dependencyConditions(service(compose, 'web'))).toEqual({ api: 'service_healthy' });

    // Waiting on the health of a service that has no healthcheck would never finish.
    for (const svc of Object.values(compose.services)) {
      for (const [dependency, condition] of Object.entries(dependencyConditions(svc))) {
        if (condition === 'service_healthy') expect([dependency, healthcheckCommand(service(compose, dependency)).length > 0]).toEqual([dependency, true]);
      }
    }
  });

  it.each(appServices)('gives %s an environment that config.ts accepts in production', (name) => {
    const environment = environmentOf(service(compose, name));
    expect(configProblems(environment)).toEqual([]);
    // A name config.ts does not read (a typo, or a variable renamed there) would be ignored.
    const known = Object.keys(configSchema.shape);
    expect(Object.keys(environment).filter((variable) => !known.includes(variable))).toEqual([]);

    const config: Config = loadConfig(environment);
    expect(config.NODE_ENV).toBe('production');
    expect(config.PARLEY_SEED_DEMO).toBe(false);
    // The databases are reached at the compose services' names.
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining([new URL(config.MONGODB_URI).hostname, new URL(config.REDIS_URL).hostname]));
  });

  it('trusts the one proxy hop in front of the api', () => {
    expect(loadConfig(environmentOf(service(compose, 'api'))).TRUST_PROXY).toBe(true);
  });

  it('refuses to start until the operator sets CREDENTIALS_KEY', () => {
    expect(() => loadCompose({})).toThrow(MissingVariableError);
    expect(() => loadCompose({ CREDENTIALS_KEY: '' })).toThrow(/^CREDENTIALS_KEY: set CREDENTIALS_KEY/);
  });

  it('holds no secret values, only references to the operator environment', () => {
    const raw = composeSchema.parse(readComposeYaml());
    const secretName = /KEY|SECRET|PASSWORD|TOKEN/i;
    for (const [name, svc] of Object.entries(raw.services)) {
      for (const [variable, value] of Object.entries(environmentOf(svc, {}))) {
        // `${NAME}` or `${NAME:?why}` (or a bare name); a `${NAME:-default}` would put a secret in the file.
        if (secretName.test(variable) && value !== undefined) expect(`${name}.${variable}=${value}`).toMatch(/=\$\{[A-Za-z_][A-Za-z0-9_]*(:?\?[^}]*)?\}$/);
      }
    }
    for (const name of appServices) {
      expect(environmentOf(service(raw, name), {}).CREDENTIALS_KEY).toMatch(/^\$\{CREDENTIALS_KEY:\?[^}]+\}$/);
    }
  });

  it('publishes the web port, on 8080 unless PARLEY_HTTP_PORT says otherwise, and nothing else', () => {
    expect(publishedPorts(service(compose, 'web'))).toEqual([{ host: '8080', container: 80 }]);
    const moved = loadCompose({ ...operatorEnv, PARLEY_HTTP_PORT: '9090' });
    expect(publishedPorts(service(moved, 'web'))).toEqual([{ host: '9090', container: 80 }]);
    for (const name of ['mongo', 'redis', 'api', 'worker']) expect([name, publishedPorts(service(compose, name))]).toEqual([name, []]);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(dockerfilePath, 'utf8');
  const stages = [...dockerfile.matchAll(/^FROM\s+(?:--\S+\s+)*\S+\s+AS\s+([A-Za-z0-9._-]+)\s*$/gim)].map((match) => match[1]);

  it('has every build target docker-compose.yml asks for', () => {
    const targets = Object.values(loadCompose().services).map(buildTarget).filter((target) => target !== undefined);
    expect(new Set(targets)).toEqual(new Set(['app', 'web']));
    expect(stages).toEqual(expect.arrayContaining(targets));
  });

  it('runs the app as the non-root node user, starting the roles it is given', () => {
    const app = dockerfile.slice(dockerfile.search(/^FROM\s+\S+\s+AS\s+app\s*$/im));
    expect(app).toMatch(/^FROM\s+\S+\s+AS\s+app/i);
    expect(app.split(/^FROM\s/im)).toHaveLength(2); // the app stage runs to the end of the file
    expect(app).toMatch(/^USER\s+node\s*$/m);
    expect(app).toMatch(/^ENTRYPOINT\s+\["node",\s*"backend\/dist\/main\.js"\]\s*$/m);
    expect(app).toMatch(/^CMD\s+\["api"\]\s*$/m);
  });
});

describe('deploy/nginx.conf', () => {
  const conf = readFileSync(nginxConfPath, 'utf8');

  function toBytes(size: string): number {
    const match = /^(\d+)\s*(b|k|kb|m|mb)?$/i.exec(size.trim());
    if (!match) throw new Error(`cannot read size ${size}`);
    const unit = (match[2] ?? 'b').toLowerCase()[0];
    return Number(match[1]) * (unit === 'm' ? 1024 * 1024 : unit === 'k' ? 1024 : 1);
  }

  it('accepts at least the bodies the api accepts, so the api answers 413 itself', () => {
    const limit = /^\s*client_max_body_size\s+(\S+);/m.exec(conf)?.[1];
    expect(limit).toBeDefined();
    const bodyLimit = configSchema.shape.BODY_LIMIT.parse(undefined);
    expect(toBytes(limit ?? '0')).toBeGreaterThan(toBytes(bodyLimit));
  });

  it.each(['/api/', '/webhooks/', '= /healthz', '/socket.io/'])('proxies %s to the api service', (location) => {
    const block = new RegExp(`location\\s+${location.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\s*\\{([^}]*)\\}`).exec(conf)?.[1];
    expect(block).toMatch(/proxy_pass\s+\$parley_api;/);
  });

  it('proxies to the api port and upgrades socket.io connections', () => {
    expect(conf).toMatch(/set\s+\$parley_api\s+http:\/\/api:3000;/);
    const socket = /location\s+\/socket\.io\/\s*\{([^}]*)\}/.exec(conf)?.[1];
    expect(socket).toMatch(/proxy_set_header\s+Upgrade\s+\$http_upgrade;/);
    expect(socket).toMatch(/proxy_set_header\s+Connection\s+\$connection_upgrade;/);
  });

  it('is what the web image serves', () => {
    expect(readFileSync(dockerfilePath, 'utf8')).toMatch(/^COPY\s+deploy\/nginx\.conf\s+\/etc\/nginx\/conf\.d\/default\.conf\s*$/m);
  });
});
