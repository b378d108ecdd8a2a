/* The options: defaults from the manifest's configuration, every value checked once, at register(). */
import { expect } from 'chai';
import { readManifest } from '../../../src/manifest/manifest.js';
import { PLUGIN_ROOT } from '../../../src/adapters/views.js';
import { configurationProblems, describeOptionProblem, optionProblems, resolveOptions } from '../../../src/manifest/options.js';
import { PluginLoadError, register } from '../../../src/plugin.js';
import { TYPES } from '../../../src/types.js';
import type { HostV1 } from '../../../src/contract/index.js';

const manifest = readManifest(PLUGIN_ROOT);
const secret = 'x'.repeat(32);

function host(): HostV1 {
  const h: Record<string, unknown> = { apiVersion: '1.0.0' };
  for (const port of manifest.requiredPorts) h[port] = {};
  h.logger = { info() {}, warn() {}, error() {} };
  return h as unknown as HostV1;
}

describe('plugin options from the manifest', () => {
  it('the shipped configuration has a rule for every key, and its defaults keep their own rules', () => {
    expect(configurationProblems(manifest)).to.deep.equal([]);
  });

  it('applies the manifest\'s defaults to every absent key, and parses the rate limits', () => {
    const resolved = resolveOptions(manifest, { secret });
    expect(resolved).to.deep.include({
      secret, smtpUrl: null, mailFrom: 'no-reply@localhost', outboxPollMs: 2000, mailMaxAttempts: 10, mailRetryBaseMs: 30_000,
      mailOutageRetryMaxMs: 300_000, smtpMaxConnections: 5, digestHour: 7, digestCheckMs: 60_000,
      rateLimitIp: '30/10m', rateLimitEmail: '5/1h', rateLimitToken: '100/10m', rateLimitUnknownCode: '10/1h',
    });
    expect(resolved.rateLimits).to.deep.equal({
      ip: { points: 30, durationSeconds: 600 }, email: { points: 5, durationSeconds: 3600 },
      token: { points: 100, durationSeconds: 600 }, unknownCode: { points: 10, durationSeconds: 3600 },
    });
    expect(resolveOptions(manifest, { secret, rateLimitEmail: 'off', digestHour: 0 })).to.deep.include({ digestHour: 0, rateLimitEmail: 'off' });
    expect(resolveOptions(manifest, { secret, rateLimitEmail: 'off' }).rateLimits.email).to.equal(null);
  });

  it('names every bad value with its key, its environment variable and what it must be', () => {
    const problems = optionProblems(manifest, { secret: 'short', digestHour: 24, rateLimitIp: 'lots' });
    expect(problems.map((p) => [p.key, p.env])).to.deep.equal([
      ['secret', 'SELFREG_SECRET'], ['digestHour', 'SELFREG_DIGEST_HOUR'], ['rateLimitIp', 'SELFREG_RATE_LIMIT_IP'],
    ]);
    expect(problems.map(describeOptionProblem)).to.deep.equal([
      'options.secret (SELFREG_SECRET) must be at least 32 characters.',
      'options.digestHour must be a whole hour from 0 to 23. [environment variable SELFREG_DIGEST_HOUR]',
      'options.rateLimitIp "lots" is not a limit: write attempts/duration such as 30/10m, 5/1h or 100/1d, or off. [environment variable SELFREG_RATE_LIMIT_IP]',
    ]);
  });

  it('register() refuses a bad rate limit itself (not only start()), with every other bad value', () => {
    try {
      register(host(), { secret, rateLimitToken: '5/9d', smtpMaxConnections: 0 });
      expect.fail('register() accepted a bad rate limit');
    } catch (e) {
      expect(e).to.be.instanceOf(PluginLoadError);
      expect((e as PluginLoadError).problems).to.deep.equal([
        'options.smtpMaxConnections must be a whole number from 1 to 50. [environment variable SELFREG_SMTP_MAX_CONNECTIONS]',
        'options.rateLimitToken "5/9d": the window must be from 1 second to 7 days. [environment variable SELFREG_RATE_LIMIT_TOKEN]',
      ]);
    }
  });

  it('binds the resolved options in the container', () => {
    const plugin = register(host(), { secret, digestHour: 5 });
    expect(plugin.container.get<{ digestHour: number; mailFrom: string }>(TYPES.ResolvedOptions)).to.deep.include({ digestHour: 5, mailFrom: 'no-reply@localhost' });
  });
});
