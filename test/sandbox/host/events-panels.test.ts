/* The event bus and the panel registry on their own (host/events.port.ts, host/panels.port.ts). */
import { expect } from 'chai';
import { HostEventBus } from '../../../sandbox/host/events.port.js';
import { createLogger } from '../../../sandbox/host/logger.port.js';
import { PanelRegistry } from '../../../sandbox/host/panels.port.js';

describe('host event bus and panel registry', () => {
  it('awaits handlers, logs errors and time-outs, and never throws', async () => {
    const logger = createLogger({ quiet: true });
    const bus = new HostEventBus(logger.pino, 50);
    const order: string[] = [];
    bus.on('user.deleted', () => {
      throw new Error('boom');
    });
    bus.on('user.deleted', () => new Promise<void>(() => {}));
    const off = bus.on('user.deleted', async ({ userId }) => {
      order.push(userId);
    });
    await bus.emit('user.deleted', { userId: '7' });
    expect(order).to.deep.equal(['7']);
    expect(logger.entries.filter((e) => e.level === 'error')).to.have.length(2);
    off();
    await bus.emit('user.deleted', { userId: '8' });
    expect(order).to.deep.equal(['7']);
    expect(() => bus.on('nope' as 'user.deleted', () => {})).to.throw(/Unknown host event/);
  });

  it('replaces a panel registered again under the same id; a stale unregister keeps the new one', async () => {
    const registry = new PanelRegistry(createLogger({ quiet: true }).pino);
    const first = registry.register({ slot: 'portal.settings', id: 'p', title: 'One', render: async () => 'one' });
    registry.register({ slot: 'portal.settings', id: 'p', title: 'Two', render: async () => 'two' });
    expect(registry.list('portal.settings').map((p) => p.title)).to.deep.equal(['Two']);
    first();
    expect(registry.list('portal.settings').map((p) => p.title)).to.deep.equal(['Two']);
  });
});
