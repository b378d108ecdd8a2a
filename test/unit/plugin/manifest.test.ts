import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { checkHost, parseManifest, readManifest, satisfiesCaret } from '../../../src/manifest/manifest.js';
import { PluginLoadError, register, validateOptions } from '../../../src/plugin.js';
import { PLUGIN_ROOT } from '../../../src/adapters/views.js';
import { HOOK_METHODS } from '../../../src/hooks/host-events.hooks.js';
import type { HostV1 } from '../../../src/contract/index.js';
import { REPORT_HOOK_METHODS } from '../../../src/hooks/report.hooks.js';
import { LIFECYCLE_HOOK_METHODS } from '../../../src/hooks/data-lifecycle.hooks.js';
import { RULE_HOOK_METHODS } from '../../../src/hooks/rules.hooks.js';

const rawManifest = () => JSON.parse(readFileSync(path.join(PLUGIN_ROOT, 'plugin', 'manifest.json'), 'utf8')) as Record<string, unknown>;

/** A host object with every required port present (the ports are never called by register()). */
function hostWith(overrides: Record<string, unknown> = {}): HostV1 {
  const manifest = readManifest(PLUGIN_ROOT);
  const host: Record<string, unknown> = { apiVersion: '1.0.0' };
  for (const port of manifest.requiredPorts) host[port] = {};
  // A feature left off is told to the host's log at register().
  host.logger = { info() {}, warn() {}, error() {} };
  return { ...host, ...overrides } as unknown as HostV1;
}

const options = { secret: 'x'.repeat(32) };

describe('plugin manifest', () => {
  it('the shipped manifest is valid and declares what a host needs to know', () => {
    const m = readManifest(PLUGIN_ROOT);
    expect(m.id).to.equal('self-registration');
    expect(m.hostApi).to.equal('^1.0.0');
    expect(m.userTypes.map((u) => u.id)).to.deep.equal(['prospect']);
    expect(m.migrations.tableName).to.equal('selfreg_migrations');
    expect(m.panels.filter((p) => p.slot === 'item.settings').map((p) => p.id)).to.include('self-registration.enrolment');
    expect(m.panels.filter((p) => p.slot === 'portal.settings').map((p) => p.id)).to.include('self-registration.portal');
    expect(m.requiredPorts).to.include.members(['database', 'users', 'enrolments', 'catalogue', 'seats', 'credentials']);
  });

  it('every hook the manifest declares names a method the hooks class has', () => {
    const m = readManifest(PLUGIN_ROOT);
    for (const h of m.hooks) expect([...HOOK_METHODS, ...REPORT_HOOK_METHODS, ...LIFECYCLE_HOOK_METHODS, ...RULE_HOOK_METHODS] as readonly string[]).to.include(h.method);
  });

  it('refuses a malformed manifest, naming each bad field', () => {
    const bad = { ...rawManifest(), hostApi: '1.x', hooks: [{ hook: 'user.created', method: 'x', priority: 1 }] };
    const parsed = parseManifest(bad);
    expect(parsed.ok).to.equal(false);
    if (parsed.ok) return;
    expect(parsed.errors.join('\n')).to.match(/hostApi/).and.to.match(/hooks\.0\.hook/);
  });

  it('caret ranges: same major, not older', () => {
    expect(satisfiesCaret('^1.0.0', '1.0.0')).to.equal(true);
    expect(satisfiesCaret('^1.0.0', '1.4.2')).to.equal(true);
    expect(satisfiesCaret('^1.2.0', '1.1.9')).to.equal(false);
    expect(satisfiesCaret('^1.2.3', '1.2.2')).to.equal(false);
    expect(satisfiesCaret('^1.0.0', '2.0.0')).to.equal(false);
    expect(satisfiesCaret('^1.0.0', '0.9.0')).to.equal(false);
    expect(satisfiesCaret('^1.0.0', 'banana')).to.equal(false);
  });
});

describe('register(host)', () => {
  it('refuses a host of another major API version, saying which version it needs', () => {
    expect(() => register(hostWith({ apiVersion: '2.0.0' }), options)).to.throw(PluginLoadError, /implements host API 2\.0\.0; Self-registration tokens needs \^1\.0\.0/);
  });

  it('refuses a host missing ports, naming every one', () => {
    try {
      register(hostWith({ seats: undefined, credentials: undefined }), options);
      expect.fail('register() accepted a host without seats and credentials');
    } catch (e) {
      expect(e).to.be.instanceOf(PluginLoadError);
      const problems = (e as PluginLoadError).problems;
      expect(problems).to.include('The host does not provide the required port "seats".');
      expect(problems).to.include('The host does not provide the required port "credentials".');
    }
  });

  it('refuses a host that does not declare its API version', () => {
    expect(checkHost(readManifest(PLUGIN_ROOT), { ...hostWith(), apiVersion: undefined })).to.deep.equal([
      'The host does not declare apiVersion; Self-registration tokens needs host API ^1.0.0.',
    ]);
  });

  it('refuses weak options with a message per problem', () => {
    expect(validateOptions({ secret: 'short', smtpUrl: 'http://mail', outboxPollMs: 1 })).to.deep.equal([
      'options.secret (SELFREG_SECRET) must be at least 32 characters.',
      'options.smtpUrl (SMTP_URL) must start with smtp:// or smtps://.',
      'options.outboxPollMs must be a whole number of milliseconds, at least 50.',
    ]);
  });

  it('accepts a compatible host synchronously and builds the container without I/O', () => {
    const plugin = register(hostWith({ apiVersion: '1.3.0' }), options);
    expect(plugin.manifest.id).to.equal('self-registration');
    expect(plugin.start).to.be.a('function');
  });
});
