/*
 * Sandbox configuration, read from the environment once at start. Every bad value produces a
 * message that names its variable; nothing secret is echoed back.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readManifestSync } from './plugin-loader.js';

/** Value for Express's `trust proxy` setting: true, a hop count, or a list of addresses/names. */
export type TrustProxySetting = boolean | number | string;

export interface SandboxConfig {
  readonly port: number;
  /** postgres:// URL; absent means an embedded PGlite database under `dataDir`. */
  readonly databaseUrl?: string;
  readonly smtpUrl?: string;
  /** Absolute http(s) URL without a trailing slash; every emailed link starts with it. */
  readonly publicBaseUrl: string;
  /** The plugin secret (SELFREG_SECRET), at least 32 characters. */
  readonly secret: string;
  /** Where the secret came from: the environment, `<dataDir>/secret`, or generated just now. */
  readonly secretSource: 'env' | 'file' | 'generated';
  readonly adminEmail: string;
  /** Absent: the seed generates one and prints it. */
  readonly adminPassword?: string;
  /** Null means unlimited (SEAT_LIMIT=unlimited). */
  readonly seatLimit: number | null;
  readonly portalName: string;
  /** Canonical IANA name, e.g. `Europe/London`. */
  readonly timeZone: string;
  readonly mailFrom: string;
  /** Absent: Express does not trust X-Forwarded-* headers. */
  readonly trustProxy?: TrustProxySetting;
  /** How often the plugin's outbox worker polls (SELFREG_OUTBOX_POLL_MS); absent: plugin default. */
  readonly outboxPollMs?: number;
  /**
   * Every other plugin option plugin/manifest.json's `configuration` declares, from the variable it
   * names for it when that is set (a number when the manifest's default is one); absent keys keep
   * the plugin's defaults.
   */
  readonly pluginOptions: Readonly<Record<string, string | number>>;
  /** The variable that sets each plugin option, by option key (from the manifest): names it in errors. */
  readonly pluginVariables: Readonly<Record<string, string>>;
  /** Absolute directory for the PGlite database and the generated secret. */
  readonly dataDir: string;
  readonly production: boolean;
}

export type SandboxConfigResult = { ok: true; config: SandboxConfig } | { ok: false; errors: string[] };

const EMAIL_RE = /^[^\s@<>()[\]",;:\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export function isValidEmail(value: string): boolean {
  return value.length <= 254 && EMAIL_RE.test(value);
}

/** Treats unset and empty/whitespace-only variables alike. */
function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** Plugin options the sandbox sets itself, from its own variables above (same names as the manifest's). */
const SANDBOX_DERIVED_OPTIONS = new Set(['secret', 'smtpUrl', 'mailFrom', 'outboxPollMs']);
const NUMBER_RE = /^-?\d+(?:\.\d+)?$/;

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const PROXY_ADDRESS_RE = /^[0-9A-Fa-f:.]+(?:\/\d{1,3})?$/;

export function loadSandboxConfig(env: NodeJS.ProcessEnv, opts: { dataDir?: string; manifestPath?: string } = {}): SandboxConfigResult {
  const errors: string[] = [];
  const production = env.NODE_ENV === 'production';
  const dataDir = path.resolve(opts.dataDir ?? './.data');

  // PORT
  let port = 3000;
  const rawPort = read(env, 'PORT');
  if (rawPort !== undefined) {
    const n = /^\d{1,5}$/.test(rawPort) ? Number(rawPort) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > 65535) {
      errors.push(`PORT must be a whole number from 1 to 65535 (got "${rawPort}").`);
    } else {
      port = n;
    }
  }

  // DATABASE_URL (may hold a password: never echoed)
  const databaseUrl = read(env, 'DATABASE_URL');
  if (databaseUrl !== undefined) {
    const url = parseUrl(databaseUrl);
    if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')) {
      errors.push('DATABASE_URL must be a postgres:// or postgresql:// URL (leave it unset to use the embedded PGlite database).');
    }
  }

  // SMTP_URL (may hold a password: never echoed)
  const smtpUrl = read(env, 'SMTP_URL');
  if (smtpUrl !== undefined) {
    const url = parseUrl(smtpUrl);
    if (!url || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || !url.hostname) {
      errors.push('SMTP_URL must be an smtp:// or smtps:// URL with a host (leave it unset to deliver mail to the sandbox mailbox).');
    }
  }

  // PUBLIC_BASE_URL
  let publicBaseUrl = `http://localhost:${port}`;
  const rawBase = read(env, 'PUBLIC_BASE_URL');
  if (rawBase !== undefined) {
    const url = parseUrl(rawBase);
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
      errors.push(`PUBLIC_BASE_URL must be an absolute http:// or https:// URL (got "${rawBase}").`);
    } else if (url.search !== '' || url.hash !== '' || rawBase.includes('?') || rawBase.includes('#')) {
      errors.push(`PUBLIC_BASE_URL must not contain a query string or a fragment (got "${rawBase}").`);
    } else if (url.username !== '' || url.password !== '') {
      errors.push('PUBLIC_BASE_URL must not contain a user name or password.');
    } else {
      publicBaseUrl = `${url.origin}${url.pathname}`.replace(/\/+$/, '');
    }
  }

  // ADMIN_EMAIL
  let adminEmail = 'admin@example.com';
  const rawAdminEmail = read(env, 'ADMIN_EMAIL');
  if (rawAdminEmail !== undefined) {
    if (!isValidEmail(rawAdminEmail)) errors.push(`ADMIN_EMAIL must be a valid email address (got "${rawAdminEmail}").`);
    else adminEmail = rawAdminEmail.toLowerCase();
  }

  // ADMIN_PASSWORD (never echoed)
  const adminPassword = env.ADMIN_PASSWORD === undefined || env.ADMIN_PASSWORD === '' ? undefined : env.ADMIN_PASSWORD;
  if (adminPassword !== undefined) {
    if (adminPassword.length < 10) errors.push('ADMIN_PASSWORD must be at least 10 characters long.');
    else if (adminPassword.length > 200) errors.push('ADMIN_PASSWORD must be at most 200 characters long.');
    else if (new Set(adminPassword).size === 1) errors.push('ADMIN_PASSWORD must not repeat a single character.');
  }

  // SEAT_LIMIT
  let seatLimit: number | null = 100;
  const rawSeats = read(env, 'SEAT_LIMIT');
  if (rawSeats !== undefined) {
    if (rawSeats.toLowerCase() === 'unlimited') {
      seatLimit = null;
    } else if (/^\d{1,9}$/.test(rawSeats) && Number(rawSeats) >= 1) {
      seatLimit = Number(rawSeats);
    } else {
      errors.push(`SEAT_LIMIT must be a positive whole number or "unlimited" (got "${rawSeats}").`);
    }
  }

  // PORTAL_NAME
  let portalName = 'Acme Learning';
  const rawName = read(env, 'PORTAL_NAME');
  if (rawName !== undefined) {
    // eslint-disable-next-line no-control-regex
    if (rawName.length > 100 || /[\u0000-\u001f\u007f]/.test(rawName)) {
      errors.push('PORTAL_NAME must be at most 100 characters without control characters.');
    } else {
      portalName = rawName;
    }
  }

  // TIME_ZONE
  let timeZone = 'Europe/London';
  const rawZone = read(env, 'TIME_ZONE');
  if (rawZone !== undefined) {
    try {
      timeZone = new Intl.DateTimeFormat('en-GB', { timeZone: rawZone }).resolvedOptions().timeZone;
    } catch {
      errors.push(`TIME_ZONE must be an IANA time zone such as "Europe/London" (got "${rawZone}").`);
    }
  }

  // MAIL_FROM: default derived from the public host name when it is a real domain.
  let mailFrom = defaultMailFrom(publicBaseUrl);
  const rawFrom = read(env, 'MAIL_FROM');
  if (rawFrom !== undefined) {
    if (!isValidEmail(rawFrom)) errors.push(`MAIL_FROM must be a plain email address such as no-reply@example.com (got "${rawFrom}").`);
    else mailFrom = rawFrom;
  }

  // TRUST_PROXY
  let trustProxy: TrustProxySetting | undefined;
  const rawTrust = read(env, 'TRUST_PROXY');
  if (rawTrust !== undefined) {
    const lower = rawTrust.toLowerCase();
    if (lower === 'true') trustProxy = true;
    else if (lower === 'false') trustProxy = undefined;
    else if (/^\d{1,2}$/.test(rawTrust)) trustProxy = Number(rawTrust);
    else {
      const parts = rawTrust.split(',').map((p) => p.trim());
      if (parts.every((p) => PROXY_NAMES.has(p) || PROXY_ADDRESS_RE.test(p))) trustProxy = parts.join(',');
      else errors.push(`TRUST_PROXY must be true, false, a hop count, or a comma-separated list of addresses, subnets, loopback, linklocal or uniquelocal (got "${rawTrust}").`);
    }
  }

  // SELFREG_OUTBOX_POLL_MS
  let outboxPollMs: number | undefined;
  const rawPoll = read(env, 'SELFREG_OUTBOX_POLL_MS');
  if (rawPoll !== undefined) {
    if (/^\d{1,7}$/.test(rawPoll) && Number(rawPoll) >= 50) outboxPollMs = Number(rawPoll);
    else errors.push(`SELFREG_OUTBOX_POLL_MS must be a whole number of milliseconds, at least 50 (got "${rawPoll}").`);
  }

  // The plugin's other configuration keys, from the variables its manifest names. Their ranges and
  // formats are the plugin's to check (it refuses bad values when it loads); numbers are checked here.
  const pluginOptions: Record<string, string | number> = {};
  const pluginVariables: Record<string, string> = {};
  try {
    for (const entry of readManifestSync(opts.manifestPath).configuration ?? []) {
      pluginVariables[entry.key] = entry.env;
      if (SANDBOX_DERIVED_OPTIONS.has(entry.key)) continue;
      const raw = read(env, entry.env);
      if (raw === undefined) {
        if (entry.required) errors.push(`${entry.env} is required: it sets the plugin option ${entry.key}.`);
      } else if (typeof entry.default === 'number') {
        if (NUMBER_RE.test(raw) && Number.isFinite(Number(raw))) pluginOptions[entry.key] = Number(raw);
        else errors.push(`${entry.env} must be a number (it sets the plugin option ${entry.key}; got "${raw}").`);
      } else {
        pluginOptions[entry.key] = raw;
      }
    }
  } catch (error) {
    errors.push(`The plugin's configuration keys cannot be read: ${(error as Error).message}`);
  }

  // SELFREG_SECRET (never echoed). Resolved last so that a bad configuration writes no file.
  let secret = '';
  let secretSource: SandboxConfig['secretSource'] = 'env';
  const rawSecret = read(env, 'SELFREG_SECRET');
  if (rawSecret !== undefined) {
    if (rawSecret.length < 32) errors.push(`SELFREG_SECRET must be at least 32 characters long (it has ${rawSecret.length}).`);
    else secret = rawSecret;
  } else if (production) {
    errors.push('SELFREG_SECRET is required when NODE_ENV=production (at least 32 characters, e.g. `openssl rand -base64 32`).');
  } else if (errors.length === 0) {
    const file = path.join(dataDir, 'secret');
    try {
      if (existsSync(file)) {
        secret = readFileSync(file, 'utf8').trim();
        secretSource = 'file';
        if (secret.length < 32) errors.push(`SELFREG_SECRET is unset and ${file} holds fewer than 32 characters: delete the file to generate a new secret.`);
      } else {
        secret = randomBytes(32).toString('base64url');
        secretSource = 'generated';
        mkdirSync(dataDir, { recursive: true });
        writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
        chmodSync(file, 0o600);
      }
    } catch (error) {
      errors.push(`SELFREG_SECRET is unset and ${file} could not be read or written: ${(error as Error).message}`);
    }
  }

  if (errors.length > 0) return { ok: false, errors };
  const config: SandboxConfig = {
    port,
    publicBaseUrl,
    secret,
    secretSource,
    adminEmail,
    seatLimit,
    portalName,
    timeZone,
    mailFrom,
    dataDir,
    production,
    pluginOptions,
    pluginVariables,
    ...(databaseUrl !== undefined && { databaseUrl }),
    ...(smtpUrl !== undefined && { smtpUrl }),
    ...(adminPassword !== undefined && { adminPassword }),
    ...(trustProxy !== undefined && { trustProxy }),
    ...(outboxPollMs !== undefined && { outboxPollMs }),
  };
  return { ok: true, config };
}

/** `no-reply@<public host>` for a real domain name; `no-reply@localhost` for localhost and IPs. */
function defaultMailFrom(publicBaseUrl: string): string {
  const host = new URL(publicBaseUrl).hostname;
  const isIp = /^[\d.]+$/.test(host) || host.includes(':') || host.startsWith('[');
  if (isIp || host === 'localhost' || !host.includes('.') || host.endsWith('.localhost')) return 'no-reply@localhost';
  return `no-reply@${host}`;
}
