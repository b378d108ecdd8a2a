/* The sandbox passes the plugin every configuration key its manifest declares, from the named variable. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { createSandbox } from '../../sandbox/app.js';
import { namingVariables, PluginConfigurationError } from '../../sandbox/plugin-options.js';
import type { Sandbox } from '../../sandbox/app.js';
import { loadSandboxConfig } from '../../sandbox/config.js';
import type { SandboxConfig } from '../../sandbox/config.js';
import { migrateSandbox } from '../../sandbox/db.js';
import { DEFAULT_MANIFEST } from '../../sandbox/plugin-loader.js';
import type { PluginOptions } from '../../src/contract/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { observed } from './fixtures/fake-plugin.js';
import { FAKE_PLUGIN, testConfig } from './helpers.js';

const SECRET = 'test-secret-test-secret-test-secret-123';
type Entry = { key: string; env: string; required: boolean; default: unknown };
const CONFIGURATION = (JSON.parse(readFileSync(DEFAULT_MANIFEST, 'utf8')) as { configuration: Entry[] }).configuration;
const DERIVED = ['secret', 'smtpUrl', 'mailFrom', 'outboxPollMs'];

describe('sandbox: plugin configuration from the manifest', () => {
  let db: TestDatabase;
  let dataDir: string;
  const sandboxes: Sandbox[] = [];

  before(async () => {
    db = await createTestDatabase();
    await migrateSandbox(db.knex);
  });
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'sandbox-plugin-config-'));
  });
  afterEach(async () => {
    for (const s of sandboxes.splice(0)) await s.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  after(async () => {
    await db?.destroy();
  });

  const load = (env: NodeJS.ProcessEnv, manifestPath?: string) =>
    loadSandboxConfig(env, { dataDir, ...(manifestPath !== undefined && { manifestPath }) });

  async function fakePluginOptions(config: SandboxConfig, options?: Partial<PluginOptions>): Promise<Record<string, unknown>> {
    const sandbox = await createSandbox({ knex: db.knex, config, quiet: true, sessionPruneIntervalMs: 0 });
    sandboxes.push(sandbox);
    observed.options = null;
    await sandbox.loadPlugin({ entry: FAKE_PLUGIN, ...(options && { options }) });
    const received = observed.options as PluginOptions | null;
    expect(received, 'the fake plugin was registered').not.to.equal(null);
    return { ...received } as Record<string, unknown>;
  }

  it('the manifest declares the keys this issue is about', () => {
    expect(CONFIGURATION.map((e) => e.key)).to.include.members([
      'rateLimitIp', 'rateLimitEmail', 'rateLimitToken', 'rateLimitUnknownCode', 'mailMaxAttempts', 'mailRetryBaseMs',
      'mailOutageRetryMaxMs', 'smtpMaxConnections', 'digestHour', 'digestCheckMs',
    ]);
  });

  it('every manifest key reaches the plugin from its variable, numbers converted', async () => {
    const env: NodeJS.ProcessEnv = { SELFREG_SECRET: SECRET };
    const expected: Record<string, unknown> = {};
    CONFIGURATION.filter((e) => !DERIVED.includes(e.key)).forEach((e, i) => {
      if (typeof e.default === 'number') {
        env[e.env] = ` ${i + 2} `; // surrounding blanks are trimmed
        expected[e.key] = i + 2;
      } else {
        env[e.env] = `${i + 2}/1h`;
        expected[e.key] = `${i + 2}/1h`;
      }
    });
    expect(Object.keys(expected)).to.have.length(CONFIGURATION.length - DERIVED.length);
    const result = load(env);
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(result.config.pluginOptions).to.deep.equal(expected);

    const options = await fakePluginOptions(result.config);
    expect(options).to.deep.include(expected);
    expect(options.digestHour).to.be.a('number');
    expect(options.rateLimitIp).to.be.a('string');
  });

  it('keeps the sandbox\'s own sources for secret, smtpUrl, mailFrom and outboxPollMs; explicit options win', async () => {
    const config = testConfig({
      SMTP_URL: 'smtp://mail.example.test:2525', MAIL_FROM: 'training@acme.test', SELFREG_OUTBOX_POLL_MS: '500',
      SELFREG_DIGEST_HOUR: '3', SELFREG_RATE_LIMIT_EMAIL: 'off',
    });
    expect(config.pluginOptions).to.deep.equal({ digestHour: 3, rateLimitEmail: 'off' });
    const options = await fakePluginOptions(config, { digestHour: 9, mailFrom: 'tests@acme.test' });
    expect(options).to.deep.equal({
      secret: SECRET, smtpUrl: 'smtp://mail.example.test:2525', mailFrom: 'tests@acme.test', outboxPollMs: 500,
      digestHour: 9, rateLimitEmail: 'off',
    });
  });

  it('unset or empty variables leave the plugin\'s defaults (no key passed)', async () => {
    const config = testConfig({ SELFREG_DIGEST_HOUR: '', SELFREG_RATE_LIMIT_IP: '   ' });
    expect(config.pluginOptions).to.deep.equal({});
    const options = await fakePluginOptions(config);
    expect(Object.keys(options).sort()).to.deep.equal(['mailFrom', 'secret']);
  });

  it('refuses a non-numeric value for a number key, naming every variable, and writes no secret file', () => {
    const result = load({ SELFREG_DIGEST_HOUR: 'seven', SELFREG_SMTP_MAX_CONNECTIONS: '5 connections', SELFREG_MAIL_MAX_ATTEMPTS: '1e3' });
    expect(result.ok).to.equal(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).to.include('SELFREG_DIGEST_HOUR must be a number (it sets the plugin option digestHour; got "seven").');
    expect(errors).to.include('SELFREG_SMTP_MAX_CONNECTIONS must be a number (it sets the plugin option smtpMaxConnections; got "5 connections").');
    expect(errors).to.include('SELFREG_MAIL_MAX_ATTEMPTS must be a number (it sets the plugin option mailMaxAttempts; got "1e3").');
    expect(errors).to.have.length(3);
    expect(readdirSync(dataDir)).to.deep.equal([]);
  });

  it('requires a variable the manifest marks required, and reports an unreadable manifest', () => {
    const manifest = JSON.parse(readFileSync(DEFAULT_MANIFEST, 'utf8')) as { configuration: Entry[] };
    manifest.configuration.push({ key: 'licenceKey', env: 'SELFREG_LICENCE_KEY', required: true, default: null });
    const manifestPath = path.join(dataDir, 'manifest.json');
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const missing = load({ SELFREG_SECRET: SECRET }, manifestPath);
    expect(missing.ok ? [] : missing.errors).to.deep.equal(['SELFREG_LICENCE_KEY is required: it sets the plugin option licenceKey.']);
    const given = load({ SELFREG_SECRET: SECRET, SELFREG_LICENCE_KEY: 'abc' }, manifestPath);
    expect(given.ok && given.config.pluginOptions).to.deep.equal({ licenceKey: 'abc' });

    const absent = load({ SELFREG_SECRET: SECRET }, path.join(dataDir, 'nope.json'));
    expect(absent.ok ? [] : absent.errors).to.have.length(1);
    expect(absent.ok ? '' : absent.errors[0]).to.match(/^The plugin's configuration keys cannot be read: Cannot read the plugin manifest .*nope\.json/);
  });

  it('a value the real plugin refuses fails loadPlugin() with a message naming the variable; nothing mounted', async () => {
    const config = testConfig({ SELFREG_DIGEST_HOUR: '25', SELFREG_RATE_LIMIT_IP: 'lots' });
    const sandbox = await createSandbox({ knex: db.knex, config, quiet: true, sessionPruneIntervalMs: 0 });
    sandboxes.push(sandbox);
    let error: unknown;
    try {
      await sandbox.loadPlugin();
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(PluginConfigurationError);
    expect((error as Error).message).to.contain('options.digestHour (SELFREG_DIGEST_HOUR) must be a whole hour from 0 to 23.');
    expect((error as Error).cause).to.have.property('name', 'PluginLoadError');
    expect(sandbox.plugin).to.equal(null);
    expect(sandbox.mounts.list()).to.deep.equal([]);
  });

  it('names variables only for options that came from them', () => {
    const variables = { rateLimitIp: 'SELFREG_RATE_LIMIT_IP', secret: 'SELFREG_SECRET' };
    const rateLimit = namingVariables(new Error('Invalid rate limit options: options.rateLimitIp "lots" is not a limit; options.rateLimitToken "x"'), variables);
    expect(rateLimit).to.be.instanceOf(PluginConfigurationError);
    expect((rateLimit as Error).message).to.equal('Invalid rate limit options: options.rateLimitIp (SELFREG_RATE_LIMIT_IP) "lots" is not a limit; options.rateLimitToken "x"');
    const already = namingVariables(new Error('options.secret (SELFREG_SECRET) must be at least 32 characters.'), variables);
    expect((already as Error).message).to.equal('options.secret (SELFREG_SECRET) must be at least 32 characters.');
    expect(already).to.be.instanceOf(PluginConfigurationError);
    const other = new Error('the host lacks required ports: seats');
    expect(namingVariables(other, variables)).to.equal(other);
  });
});
