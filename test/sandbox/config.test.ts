import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { loadSandboxConfig } from '../../sandbox/config.js';
import type { SandboxConfig } from '../../sandbox/config.js';

const SECRET = 's'.repeat(20) + 'e'.repeat(20);

describe('sandbox config', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'sandbox-config-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const load = (env: NodeJS.ProcessEnv) => loadSandboxConfig(env, { dataDir });
  const ok = (env: NodeJS.ProcessEnv): SandboxConfig => {
    const result = load(env);
    if (!result.ok) throw new Error(result.errors.join('\n'));
    return result.config;
  };
  const errorsOf = (env: NodeJS.ProcessEnv): string[] => {
    const result = load(env);
    expect(result.ok, 'expected the configuration to be refused').to.equal(false);
    return result.ok ? [] : result.errors;
  };

  it('has working defaults', () => {
    const config = ok({ SELFREG_SECRET: SECRET });
    expect(config).to.include({
      port: 3000,
      publicBaseUrl: 'http://localhost:3000',
      adminEmail: 'admin@example.com',
      seatLimit: 100,
      portalName: 'Acme Learning',
      timeZone: 'Europe/London',
      mailFrom: 'no-reply@localhost',
      secret: SECRET,
      secretSource: 'env',
    });
    expect(config.databaseUrl).to.equal(undefined);
    expect(config.trustProxy).to.equal(undefined);
  });

  it('derives the public URL from PORT and strips a trailing slash', () => {
    expect(ok({ SELFREG_SECRET: SECRET, PORT: '8080' }).publicBaseUrl).to.equal('http://localhost:8080');
    expect(ok({ SELFREG_SECRET: SECRET, PUBLIC_BASE_URL: 'https://learn.example.com/' }).publicBaseUrl).to.equal('https://learn.example.com');
    expect(ok({ SELFREG_SECRET: SECRET, PUBLIC_BASE_URL: 'https://example.com/lms/' }).publicBaseUrl).to.equal('https://example.com/lms');
  });

  it('derives MAIL_FROM from a real public host name', () => {
    expect(ok({ SELFREG_SECRET: SECRET, PUBLIC_BASE_URL: 'https://learn.example.com' }).mailFrom).to.equal('no-reply@learn.example.com');
    expect(ok({ SELFREG_SECRET: SECRET, PUBLIC_BASE_URL: 'http://127.0.0.1:3000' }).mailFrom).to.equal('no-reply@localhost');
    expect(ok({ SELFREG_SECRET: SECRET, MAIL_FROM: 'training@acme.test' }).mailFrom).to.equal('training@acme.test');
  });

  it('names each bad variable in its message', () => {
    const errors = errorsOf({
      SELFREG_SECRET: 'short',
      PORT: '70000',
      DATABASE_URL: 'mysql://x',
      SMTP_URL: 'http://mail',
      PUBLIC_BASE_URL: 'ftp://x',
      ADMIN_EMAIL: 'not-an-email',
      ADMIN_PASSWORD: 'short',
      SEAT_LIMIT: '0',
      TIME_ZONE: 'Mars/Olympus',
      MAIL_FROM: 'nobody',
      TRUST_PROXY: 'everyone!',
    });
    for (const name of ['SELFREG_SECRET', 'PORT', 'DATABASE_URL', 'SMTP_URL', 'PUBLIC_BASE_URL', 'ADMIN_EMAIL', 'ADMIN_PASSWORD', 'SEAT_LIMIT', 'TIME_ZONE', 'MAIL_FROM', 'TRUST_PROXY']) {
      expect(errors.some((e) => e.startsWith(name)), `an error about ${name}`).to.equal(true);
    }
  });

  it('never echoes secrets or database passwords', () => {
    const errors = errorsOf({ SELFREG_SECRET: 'hunter2hunter2', DATABASE_URL: 'mysql://user:pa55word@db/x', ADMIN_PASSWORD: 'tiny' });
    expect(errors.join('\n')).not.to.match(/hunter2|pa55word|tiny/);
  });

  it('refuses a public URL with a query or fragment', () => {
    expect(errorsOf({ SELFREG_SECRET: SECRET, PUBLIC_BASE_URL: 'https://x.test/?a=1' })[0]).to.match(/^PUBLIC_BASE_URL/);
    expect(errorsOf({ SELFREG_SECRET: SECRET, PUBLIC_BASE_URL: 'https://x.test/#top' })[0]).to.match(/^PUBLIC_BASE_URL/);
    expect(errorsOf({ SELFREG_SECRET: SECRET, PUBLIC_BASE_URL: '/relative' })[0]).to.match(/^PUBLIC_BASE_URL/);
  });

  it('accepts the documented forms of the other variables', () => {
    const config = ok({
      SELFREG_SECRET: SECRET,
      DATABASE_URL: 'postgresql://u:p@db:5432/lms',
      SMTP_URL: 'smtps://u:p@mail.test:465',
      SEAT_LIMIT: 'unlimited',
      TIME_ZONE: 'america/new_york',
      TRUST_PROXY: 'loopback, 10.0.0.0/8',
      ADMIN_EMAIL: 'Boss@Example.com',
      ADMIN_PASSWORD: 'a-long-enough-password',
    });
    expect(config.seatLimit).to.equal(null);
    expect(config.timeZone).to.equal('America/New_York');
    expect(config.trustProxy).to.equal('loopback,10.0.0.0/8');
    expect(config.adminEmail).to.equal('boss@example.com');
    expect(ok({ SELFREG_SECRET: SECRET, TRUST_PROXY: '1' }).trustProxy).to.equal(1);
    expect(ok({ SELFREG_SECRET: SECRET, TRUST_PROXY: 'true' }).trustProxy).to.equal(true);
    expect(ok({ SELFREG_SECRET: SECRET, SEAT_LIMIT: '25' }).seatLimit).to.equal(25);
  });

  it('generates a secret once outside production and reuses it', () => {
    const first = ok({});
    expect(first.secretSource).to.equal('generated');
    expect(first.secret.length).to.be.at.least(32);
    const file = path.join(dataDir, 'secret');
    expect(readFileSync(file, 'utf8').trim()).to.equal(first.secret);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    const second = ok({});
    expect(second.secretSource).to.equal('file');
    expect(second.secret).to.equal(first.secret);
  });

  it('requires SELFREG_SECRET in production and writes nothing', () => {
    const errors = errorsOf({ NODE_ENV: 'production' });
    expect(errors[0]).to.match(/^SELFREG_SECRET is required/);
    expect(existsSync(path.join(dataDir, 'secret'))).to.equal(false);
  });

  it('refuses a truncated secret file', () => {
    writeFileSync(path.join(dataDir, 'secret'), 'abc\n');
    expect(errorsOf({})[0]).to.match(/^SELFREG_SECRET/);
  });

  it('writes no secret file when another value is bad', () => {
    errorsOf({ PORT: 'abc' });
    expect(existsSync(path.join(dataDir, 'secret'))).to.equal(false);
  });
});
