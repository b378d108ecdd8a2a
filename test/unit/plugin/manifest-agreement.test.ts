/* Code and plugin/manifest.json disagreeing fails register() or start() loudly, naming what disagrees. */
import { expect } from 'chai';
import { startTestSandbox, type TestSandbox } from '../../sandbox/helpers.js';
import { PluginLoadError, register } from '../../../src/plugin.js';
import { readManifest, type Manifest } from '../../../src/manifest/manifest.js';
import { PLUGIN_ROOT } from '../../../src/adapters/views.js';
import { permissionProblems, mountProblems } from '../../../src/container/manifest-agreement.js';

const options = { secret: 'x'.repeat(32), outboxPollMs: 50 };
const shipped = (): Manifest => structuredClone(readManifest(PLUGIN_ROOT));

describe('manifest and code disagreeing', () => {
  let t: TestSandbox;
  before(async () => {
    t = await startTestSandbox({ plugin: false, seed: false });
  });
  after(() => t?.destroy());

  const mounted = () => t.sandbox.mounts.list().map((m) => m.path);
  const panels = () => [...t.sandbox.panels.list('item.settings'), ...t.sandbox.panels.list('portal.settings')];

  /** start() of the plugin registered with `manifest` rejects; returns its message. Nothing stays mounted. */
  async function startFails(manifest: Manifest): Promise<string> {
    const plugin = register(t.sandbox.host, options, manifest);
    let message = '';
    try {
      await plugin.start();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message, 'start() rejected').not.to.equal('');
    expect(mounted(), 'nothing stays mounted').to.deep.equal([]);
    expect(panels(), 'no panel stays registered').to.deep.equal([]);
    expect(t.sandbox.events.listenerCount('user.deleted'), 'no hook stays subscribed').to.equal(0);
    return message;
  }

  function registerFails(manifest: Manifest): string[] {
    try {
      register(t.sandbox.host, options, manifest);
    } catch (e) {
      expect(e).to.be.instanceOf(PluginLoadError);
      return (e as PluginLoadError).problems;
    }
    expect.fail('register() accepted the manifest');
  }

  it('the shipped manifest and the code agree: start() and stop() succeed', async () => {
    const plugin = register(t.sandbox.host, options);
    await plugin.start();
    expect(mounted().sort()).to.deep.equal(shipped().routes.map((r) => r.mount).sort());
    await plugin.stop();
    expect(mounted()).to.deep.equal([]);
  });

  it('a declared route nothing mounts fails start(), naming it', async () => {
    const m = shipped();
    m.routes.push({ id: 'reports', kind: 'admin', mount: '/admin/self-registration/reports', paths: {}, description: 'Reports' });
    expect(await startFails(m)).to.contain('declares route "reports" (/admin/self-registration/reports), which nothing mounts');
  });

  it('code contributing routes to a mount the manifest does not declare fails start(), naming it', async () => {
    const m = shipped();
    m.routes = m.routes.filter((r) => r.id !== 'api');
    expect(await startFails(m)).to.contain('Routes and manifest disagree: routes contributed to undeclared mounts [api]');
  });

  it('a declared panel nothing renders fails start(), naming it', async () => {
    const m = shipped();
    m.panels.push({ slot: 'item.settings', id: 'self-registration.reports', title: 'Reports' });
    expect(await startFails(m)).to.match(/Panels and manifest disagree: .*nothing renders \[self-registration\.reports\]/);
  });

  it('a declared hook without a method, or a hook method not declared, fails start(), naming it', async () => {
    const extra = shipped();
    extra.hooks.push({ hook: 'action:user.created', method: 'onUserCreated', priority: 10 });
    expect(await startFails(extra)).to.contain('declares hook action:user.created → onUserCreated, which no hooks class implements');
    const missing = shipped();
    missing.hooks = missing.hooks.filter((h) => h.method !== 'onUserDeleted');
    expect(await startFails(missing)).to.contain('Hook method onUserDeleted is not declared');
  });

  it('a declared worker nothing implements, or a worker not declared, fails start(), naming it', async () => {
    const extra = shipped();
    extra.workers.push({ id: 'report-export', description: 'Exports reports' });
    expect(await startFails(extra)).to.contain('declares worker "report-export", which nothing implements');
    const missing = shipped();
    missing.workers = missing.workers.filter((w) => w.id !== 'digest-scheduler');
    expect(await startFails(missing)).to.contain('Worker "digest-scheduler" runs but plugin/manifest.json does not declare it');
  });

  it('a declared permission no code checks, or a checked one not declared, fails register(), naming it', () => {
    const extra = shipped();
    extra.permissions.push({ id: 'self-registration:reports.view', roles: ['super_admin'] });
    expect(registerFails(extra)).to.include('plugin/manifest.json declares permission "self-registration:reports.view", which no code checks.');
    const missing = shipped();
    missing.permissions = missing.permissions.filter((p) => p.id !== 'self-registration:apikeys.manage');
    expect(registerFails(missing)).to.include('The code checks permission "self-registration:apikeys.manage", which plugin/manifest.json does not declare.');
  });

  it('a configuration key without a rule, or a key the code reads but the manifest lacks, fails register(), naming it', () => {
    const extra = shipped();
    extra.configuration.push({ key: 'licenceKey', env: 'SELFREG_LICENCE_KEY', required: false, default: 'x', description: 'A licence' });
    expect(registerFails(extra)).to.include('plugin/manifest.json declares option "licenceKey" (SELFREG_LICENCE_KEY), which the code has no rule for.');
    const missing = shipped();
    missing.configuration = missing.configuration.filter((c) => c.key !== 'digestHour');
    expect(registerFails(missing)).to.include('The code reads option "digestHour", which plugin/manifest.json does not declare in configuration.');
  });

  it('the checks themselves: mounts of another kind, and every permission disagreement at once', () => {
    const m = shipped();
    const all = m.routes.map((r) => ({ path: r.mount, kind: r.kind }));
    expect(mountProblems(m, all)).to.deep.equal([]);
    expect(mountProblems(m, all.map((x) => (x.path === '/register' ? { ...x, kind: 'admin' } : x)))).to.deep.equal([
      'Route "register" is mounted as another kind than the manifest\'s "public".',
    ]);
    expect(permissionProblems(m, ['self-registration:tokens.manage'])).to.have.length(m.permissions.length - 1);
  });
});
