// Server configuration: defaults <- config file (JSON) <- environment (ARGUS_*) <- flags, validated
// once at start; an unknown or invalid key is reported by its dotted path. See docs/ref/config.md.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value, ValueErrorType } from '@sinclair/typebox/value';
import { ExitCodes, StartupError } from './argus-error.js';

const Port = Type.Integer({ minimum: 0, maximum: 65535 });
const strict = { additionalProperties: false } as const;

export const ConfigSchema = Type.Object(
  {
    dataDir: Type.String({ minLength: 1, description: 'Holds the database, the certificate and recordings' }),
    https: Type.Object(
      {
        host: Type.String({ description: 'Address to listen on; "::" or "0.0.0.0" for all' }),
        port: Port,
        certFile: Type.Union([Type.String(), Type.Null()], {
          description: 'PEM certificate (chain) to use instead of the generated one',
        }),
        keyFile: Type.Union([Type.String(), Type.Null()]),
      },
      strict,
    ),
    http: Type.Object({ host: Type.String(), port: Port, enabled: Type.Boolean() }, strict),
    mobile: Type.Object({ apiPort: Port, streamingPort: Port }, strict),
    auth: Type.Object(
      {
        sessionIdleMinutes: Type.Integer({ minimum: 1, maximum: 10080 }),
        sessionAbsoluteHours: Type.Integer({ minimum: 1, maximum: 8760 }),
        loginDelayAfterFailures: Type.Integer({ minimum: 1, maximum: 1000 }),
        loginLockoutAfterFailures: Type.Integer({ minimum: 1, maximum: 10000 }),
        loginFailureWindowMinutes: Type.Integer({ minimum: 1, maximum: 1440 }),
        maxLoginDelayMs: Type.Integer({ minimum: 0, maximum: 60000 }),
      },
      strict,
    ),
    ntp: Type.Object(
      {
        checkIntervalMinutes: Type.Integer({ minimum: 1, maximum: 1440 }),
        timeoutMs: Type.Integer({ minimum: 100, maximum: 60000 }),
      },
      strict,
    ),
    log: Type.Object(
      {
        level: Type.Union([
          Type.Literal('fatal'),
          Type.Literal('error'),
          Type.Literal('warn'),
          Type.Literal('info'),
          Type.Literal('debug'),
          Type.Literal('trace'),
          Type.Literal('silent'),
        ]),
      },
      strict,
    ),
    limits: Type.Object({ bodyBytes: Type.Integer({ minimum: 1024, maximum: 104857600 }) }, strict),
  },
  strict,
);
export type Config = Static<typeof ConfigSchema>;

export function defaultConfig(): Config {
  return {
    dataDir: './data',
    https: { host: '::', port: 55754, certFile: null, keyFile: null },
    http: { host: '::', port: 55752, enabled: true },
    mobile: { apiPort: 55756, streamingPort: 55757 },
    auth: {
      sessionIdleMinutes: 30,
      sessionAbsoluteHours: 12,
      loginDelayAfterFailures: 3,
      loginLockoutAfterFailures: 10,
      loginFailureWindowMinutes: 15,
      maxLoginDelayMs: 8000,
    },
    ntp: { checkIntervalMinutes: 10, timeoutMs: 2000 },
    log: { level: 'info' },
    limits: { bodyBytes: 1048576 },
  };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function merge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over))
    out[k] = isObject(v) && isObject(base[k]) ? merge(base[k], v) : v;
  return out;
}

/** Finds the schema node at a dotted path, to coerce environment strings to the right type. */
function schemaAt(schema: TSchema, keys: string[]): TSchema | undefined {
  let node: TSchema | undefined = schema;
  for (const k of keys) node = (node?.['properties'] as Record<string, TSchema> | undefined)?.[k];
  return node;
}

function coerce(schema: TSchema | undefined, raw: string): unknown {
  const type = schema?.['type'];
  if (type === 'integer' || type === 'number') return raw.trim() === '' ? raw : Number(raw);
  if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  if (raw === 'null' && Array.isArray(schema?.['anyOf'])) return null;
  return raw;
}

/** Sets a dotted key ("https.port") from a string, typed by the schema; unknown keys stay for validation. */
export function setByPath(target: Json, dotted: string, raw: string): void {
  const keys = dotted.split('.');
  let node = target;
  for (const k of keys.slice(0, -1)) node = (node[k] = isObject(node[k]) ? node[k] : {}) as Json;
  node[keys[keys.length - 1]!] = coerce(schemaAt(ConfigSchema, keys), raw);
}

const camelToSnake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

/** ARGUS_HTTPS_PORT -> https.port, ARGUS_DATA_DIR -> dataDir, ARGUS_AUTH_SESSION_IDLE_MINUTES -> auth.sessionIdleMinutes. */
export function envOverrides(env: NodeJS.ProcessEnv): Json {
  const out: Json = {};
  const walk = (schema: TSchema, prefix: string[]): void => {
    for (const [key, child] of Object.entries((schema['properties'] ?? {}) as Record<string, TSchema>)) {
      const keys = [...prefix, key];
      if (child['type'] === 'object') walk(child, keys);
      else {
        const value = env[`ARGUS_${keys.map(camelToSnake).join('_')}`];
        if (value !== undefined) setByPath(out, keys.join('.'), value);
      }
    }
  };
  walk(ConfigSchema, []);
  return out;
}

export interface LoadConfigOptions {
  configFile?: string;
  env?: NodeJS.ProcessEnv;
  /** Dotted keys from command-line flags, e.g. { 'https.port': '8443' }. */
  overrides?: Record<string, string>;
  cwd?: string;
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? {};
  let merged: Json = defaultConfig() as unknown as Json;
  const file = options.configFile ?? env['ARGUS_CONFIG'];
  if (file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new StartupError(
        'ARGUS_ERR_CONFIG',
        `cannot read config file ${file}: ${(err as Error).message}`,
        ExitCodes.config,
      );
    }
    if (!isObject(parsed))
      throw new StartupError(
        'ARGUS_ERR_CONFIG',
        `config file ${file} must hold a JSON object`,
        ExitCodes.config,
      );
    merged = merge(merged, parsed);
  }
  merged = merge(merged, envOverrides(env));
  const fromFlags: Json = {};
  for (const [k, v] of Object.entries(options.overrides ?? {})) setByPath(fromFlags, k, v);
  merged = merge(merged, fromFlags);
  return validateConfig(merged, file ? ` (${file})` : '', options.cwd ?? process.cwd());
}

export function validateConfig(value: unknown, where: string, cwd: string): Config {
  const first = Value.Errors(ConfigSchema, value).First();
  if (first) {
    const key = first.path.replace(/^\//, '').replaceAll('/', '.') || '(root)';
    const message =
      first.type === ValueErrorType.ObjectAdditionalProperties
        ? `unknown config key "${key}"${where}`
        : `invalid config key "${key}"${where}: ${first.message}`;
    throw new StartupError('ARGUS_ERR_CONFIG', message, ExitCodes.config);
  }
  const config = value as Config;
  return { ...config, dataDir: path.resolve(cwd, config.dataDir) };
}
