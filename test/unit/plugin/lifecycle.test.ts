/* register → start → stop → start → stop in one process: nothing leaks, nothing doubles. */
import { expect } from 'chai';
import supertest from 'supertest';
import { startTestSandbox, type TestSandbox } from '../../sandbox/helpers.js';
import type { SelfRegistrationPlugin } from '../../../src/plugin.js';
import type { OutboxWorker } from '../../../src/adapters/mail/outbox.worker.js';
import { TYPES } from '../../../src/types.js';
import type { NotificationScheduler } from '../../../src/adapters/mail/notification.scheduler.js';
import { readManifest } from '../../../src/manifest/manifest.js';
import { PLUGIN_ROOT } from '../../../src/adapters/views.js';

// Every route and panel the manifest declares, and nothing else (each issue adds its own there).
const manifest = readManifest(PLUGIN_ROOT);
const declaredMounts = manifest.routes.map((r) => r.mount).sort();
const declaredPanels = manifest.panels.map((p) => p.id).sort();

/** Active timers once closing servers (supertest's ephemeral ones) have settled. */
async function timers(): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 50));
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

describe('plugin lifecycle in the sandbox host', () => {
  let t: TestSandbox;
  before(async () => {
    t = await startTestSandbox({ plugin: false });
  });
  after(() => t?.destroy());

  const mountedPaths = () => t.sandbox.mounts.list().map((m) => m.path).sort();
  const panelIds = () => [...t.sandbox.panels.list('item.settings'), ...t.sandbox.panels.list('portal.settings')].map((p) => p.id).sort();
  // user.updated: the emailed links' hook, the reports' registrant snapshot and the rules'; item.deleted: the tokens' and the rules'; user.deleted, user.erased and item.cloned: the data lifecycle's.
  const listeners = () => (['user.updated', 'user.deleted', 'item.deleted', 'user.erased', 'item.cloned'] as const).map((e) => t.sandbox.events.listenerCount(e));

  it('starts, stops and starts again without duplicate routes, panels, hooks or timers', async () => {
    const timersBefore = await timers();
    await t.sandbox.loadPlugin({ options: { outboxPollMs: 50 } });
    const plugin = t.sandbox.plugin!.instance as SelfRegistrationPlugin;
    const worker = plugin.container.get<OutboxWorker>(TYPES.OutboxWorker);
    const scheduler = plugin.container.get<NotificationScheduler>(TYPES.NotificationScheduler);
    expect(worker.active).to.equal(true);
    expect(scheduler.active).to.equal(true);
    expect(mountedPaths()).to.deep.equal(declaredMounts);
    expect(panelIds()).to.deep.equal(declaredPanels);
    expect(listeners()).to.deep.equal([3, 1, 2, 1, 1]);
    await supertest(t.sandbox.app).get('/register').expect(200);

    await plugin.stop();
    await plugin.stop(); // idempotent
    expect(worker.active).to.equal(false);
    expect(scheduler.active).to.equal(false);
    expect(mountedPaths()).to.deep.equal([]);
    expect(panelIds()).to.deep.equal([]);
    expect(listeners()).to.deep.equal([0, 0, 0, 0, 0]);
    expect(await timers()).to.equal(timersBefore);
    await supertest(t.sandbox.app).get('/register').expect(404);

    await plugin.start();
    expect(mountedPaths()).to.deep.equal(declaredMounts);
    expect(listeners()).to.deep.equal([3, 1, 2, 1, 1]);
    await supertest(t.sandbox.app).get('/register').expect(200);
    const warnings = t.sandbox.logger.entries.filter((e) => e.level === 'warn' && /again/.test(e.message));
    expect(warnings, 'nothing was registered twice').to.deep.equal([]);

    expect(worker.active).to.equal(true);
    await plugin.stop();
    expect(worker.active).to.equal(false);
    expect(mountedPaths()).to.deep.equal([]);
    expect(await timers()).to.equal(timersBefore);
  });
});
