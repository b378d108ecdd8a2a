/* The manifest's hooks by type: action (caught and logged), filter (a chain that may veto), static (awaited, with a timeout). */
import { expect } from 'chai';
import { Container } from 'inversify';
import { TYPES } from '../../../src/types.js';
import { HookRegistry } from '../../../src/hooks/hook-registry.js';
import type { DeclaredHook, HookHandlers } from '../../../src/hooks/hook-types.js';

type FilterHandler = (payload: unknown) => unknown;

type Handler = (payload: unknown) => unknown;

function fakeEvents(withFilter: boolean) {
  const on = new Map<string, Handler[]>();
  const filters = new Map<string, FilterHandler[]>();
  const events = {
    on(event: string, handler: Handler) {
      on.set(event, [...(on.get(event) ?? []), handler]);
      return () => on.set(event, (on.get(event) ?? []).filter((h) => h !== handler));
    },
    ...(withFilter && {
      filter(event: string, handler: FilterHandler) {
        filters.set(event, [...(filters.get(event) ?? []), handler]);
        return () => filters.set(event, (filters.get(event) ?? []).filter((h) => h !== handler));
      },
    }),
  };
  return { events, emit: (event: string, payload: unknown) => Promise.all((on.get(event) ?? []).map((h) => h(payload))), on, filters };
}

function setUp(hooks: DeclaredHook[], methods: Record<string, Handler>, withFilter = false, featuresOn?: string[]) {
  const logged: { level: string; message: string }[] = [];
  const logger = { info: (message: string) => logged.push({ level: 'info', message }), warn: (message: string) => logged.push({ level: 'warn', message }), error: (message: string) => logged.push({ level: 'error', message }) };
  const host = fakeEvents(withFilter);
  const container = new Container();
  container.bind(TYPES.Events).toConstantValue(host.events);
  container.bind(TYPES.Manifest).toConstantValue({ hooks });
  container.bind(TYPES.Logger).toConstantValue(logger);
  container.bind<HookHandlers>(TYPES.HookHandlers).toConstantValue({ hookMethods: () => methods });
  if (featuresOn) container.bind(TYPES.Features).toConstantValue({ enabled: (f: string) => featuresOn.includes(f) });
  container.bind(HookRegistry).toSelf().inSingletonScope();
  return { registry: container.get(HookRegistry), logged, ...host };
}

describe('hooks: the registry maps the manifest\'s hooks to methods, by type', () => {
  it('action: subscribed in priority order; an error is logged and never reaches the host', async () => {
    const calls: string[] = [];
    const { registry, emit, logged, on } = setUp(
      [
        { hook: 'action:user.deleted', method: 'second', priority: 20 },
        { hook: 'action:user.deleted', method: 'first', priority: 10 },
      ],
      { first: () => calls.push('first'), second: async () => { calls.push('second'); throw new Error('boom'); } },
    );
    registry.start();
    await emit('user.deleted', { userId: 'u1' });
    expect(calls).to.deep.equal(['first', 'second']);
    expect(logged).to.deep.include({ level: 'error', message: 'Hook action:user.deleted failed' });
    registry.stop();
    expect(on.get('user.deleted')).to.deep.equal([]);
  });

  it('a hook that belongs to a feature is subscribed only while the feature is on (a 1.1 event on a 1.0 host is never asked for)', async () => {
    const hooks: DeclaredHook[] = [
      { hook: 'action:user.deleted', method: 'core', priority: 10 },
      { hook: 'action:item.cloned', method: 'newer', priority: 10, feature: 'demo.newer' },
    ];
    const off = setUp(hooks, { core: () => undefined, newer: () => undefined }, false, []);
    off.registry.start();
    expect([...off.on.keys()]).to.deep.equal(['user.deleted']);
    const on = setUp(hooks, { core: () => undefined, newer: () => undefined }, false, ['demo.newer']);
    on.registry.start();
    expect([...on.on.keys()].sort()).to.deep.equal(['item.cloned', 'user.deleted']);
  });

  it('filter: a chain that passes the changed payload on, stops at the first veto, and fails closed on an error', async () => {
    const { registry } = setUp(
      [
        { hook: 'filter:enrolment.self_enrol', method: 'tag', priority: 1 },
        { hook: 'filter:enrolment.self_enrol', method: 'refuseBlocked', priority: 2 },
      ],
      {
        tag: (p) => ({ payload: { ...(p as object), tagged: true } }),
        refuseBlocked: (p) => ((p as { userId: string }).userId === 'blocked' ? { veto: { code: 'ENROLMENT.REFUSED', data: { why: 'blocked' } } } : undefined),
      },
    );
    registry.start();
    expect(await registry.filter('enrolment.self_enrol', { userId: 'u1' })).to.deep.equal({ ok: true, payload: { userId: 'u1', tagged: true } });
    expect(await registry.filter('enrolment.self_enrol', { userId: 'blocked' })).to.deep.equal({
      ok: false, veto: { code: 'ENROLMENT.REFUSED', data: { why: 'blocked' } }, hook: 'filter:enrolment.self_enrol',
    });

    const failing = setUp([{ hook: 'filter:enrolment.self_enrol', method: 'broken', priority: 1 }], { broken: () => { throw new Error('nope'); } });
    failing.registry.start();
    expect(await failing.registry.filter('enrolment.self_enrol', {})).to.deep.equal({
      ok: false, veto: { code: 'HOOK.FAILED', data: { hook: 'filter:enrolment.self_enrol' } }, hook: 'filter:enrolment.self_enrol',
    });
    expect(failing.logged.map((l) => l.message)).to.include('Hook filter:enrolment.self_enrol failed; vetoing');
  });

  it('filter: joins the host\'s chain when the host runs filters, and says so when it does not (host 1.0)', async () => {
    const hooks = [{ hook: 'filter:enrolment.self_enrol', method: 'check', priority: 5 }];
    const capable = setUp(hooks, { check: () => ({ veto: { code: 'X' } }) }, true);
    capable.registry.start();
    // The host is answered in the contract's shape: a code and the sentence it shows.
    expect(await capable.filters.get('enrolment.self_enrol')![0]!({})).to.deep.equal({ veto: { code: 'X', message: 'X' } });
    capable.registry.stop();
    expect(capable.filters.get('enrolment.self_enrol')).to.deep.equal([]);

    const plain = setUp(hooks, { check: () => undefined });
    plain.registry.start();
    expect(plain.logged.filter((l) => l.level === 'warn').map((l) => l.message)).to.deep.equal([
      'The host does not run filter hooks (host contract 1.0); filter:enrolment.self_enrol is only called by the plugin itself',
    ]);
  });

  it('static: awaited by the host; a failure or a timeout reaches it', async () => {
    let finished = false;
    const { registry, emit } = setUp(
      [
        { hook: 'static:item.cloned', method: 'copy', priority: 1 },
        { hook: 'static:item.deleted', method: 'hang', priority: 1 },
      ],
      { copy: async () => { await new Promise((r) => setTimeout(r, 5)); finished = true; }, hang: () => new Promise(() => {}) },
    );
    registry.staticTimeoutMs = 20;
    registry.start();
    await emit('item.cloned', {});
    expect(finished).to.equal(true);
    let error: unknown;
    await emit('item.deleted', {}).catch((e: unknown) => (error = e));
    expect((error as Error).message).to.equal('Hook static:item.deleted did not finish within 20 ms');
  });

  it('a declared hook without a method, or a method the manifest does not declare, fails start() naming both', () => {
    const { registry } = setUp([{ hook: 'action:user.created', method: 'onUserCreated', priority: 1 }], { onSomethingElse: () => undefined });
    expect(() => registry.start()).to.throw(
      'Hooks and manifest disagree: plugin/manifest.json declares hook action:user.created → onUserCreated, which no hooks class implements. '
      + 'Hook method onSomethingElse is not declared in plugin/manifest.json\'s hooks.',
    );
  });
});
