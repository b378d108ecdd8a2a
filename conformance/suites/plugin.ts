/*
 * The real plugin on the host: register/start/stop leave nothing behind, and the plugin runs on a host
 * without each optional port method (its documented fallbacks). The journeys are in journeys.ts.
 */
import type { HostV1 } from '../../src/contract/index.js';
import type { KitContext } from '../kit/context.js';
import { check, checkEqual, suite } from '../kit/define.js';

/** A view of the host without one optional part (`users.listAdmins`, `devMailbox`); methods stay bound to their object. */
export function without(host: HostV1, part: string): HostV1 {
  const hide = <T extends object>(target: T, key: string, read: (t: T, k: string | symbol) => unknown): T => new Proxy(target, {
    get: (t, k) => (k === key ? undefined : read(t, k)),
    has: (t, k) => k !== key && Reflect.has(t, k),
  });
  const [head, key] = part.split('.') as [string, string | undefined];
  // Host-level parts are ports (and the knex instance, a function with properties): handed on as they are.
  if (key === undefined) return hide(host, head, (t, k) => Reflect.get(t, k));
  const inner = hide((host as unknown as Record<string, object>)[head]!, key, bound);
  return new Proxy(host, { get: (t, k) => (k === head ? inner : Reflect.get(t, k)) });
}

function bound(target: object, key: string | symbol): unknown {
  const value: unknown = Reflect.get(target, key);
  return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
}

const panelIds = (ctx: KitContext, slot: 'item.settings' | 'portal.settings') => ctx.hut.profiles.includes('panels') ? slot : null;

async function pluginPanelsShown(ctx: KitContext, admin: Awaited<ReturnType<KitContext['signedIn']>>, item: { type: 'topic'; id: string }): Promise<string[]> {
  const ids: string[] = [];
  for (const slot of ['item.settings', 'portal.settings'] as const) {
    if (!panelIds(ctx, slot)) continue;
    const page = await admin.get(ctx.hut.panelPage(slot, item));
    ids.push(...ctx.hut.panelsIn(page.text).map((p) => p.id).filter((id) => id.startsWith('self-registration.')));
  }
  return ids.sort();
}

export const pluginSuite = suite('core', 'plugin', {
  'start-stop-leaves-nothing': ['the plugin registers, starts, mounts and shows its panels; stop() removes every route and panel; start() again does not double them', async (ctx) => {
    const adminUser = await ctx.person({ type: 'staff', role: 'super_admin' });
    const admin = await ctx.signedIn(adminUser);
    const item = (await ctx.hut.makeItem({ type: 'topic', origin: 'own' })).ref as { type: 'topic'; id: string };
    const { plugin } = ctx.registerPlugin();
    const declared = plugin.manifest.panels.map((p) => p.id).sort();
    checkEqual((await ctx.visitor().get('/register')).status, 404, 'before start() the registration page');
    await plugin.start();
    checkEqual((await ctx.visitor().get('/register')).status, 200, 'after start() the registration page');
    if (ctx.hut.profiles.includes('panels')) checkEqual(await pluginPanelsShown(ctx, admin, item), declared, 'the plugin’s panels on the host’s pages');
    await plugin.stop();
    await plugin.stop();
    checkEqual((await ctx.visitor().get('/register')).status, 404, 'after stop() the registration page');
    checkEqual((await ctx.visitor().get('/self-registration/assets/public.css')).status, 404, 'after stop() the plugin’s assets');
    if (ctx.hut.profiles.includes('panels')) checkEqual(await pluginPanelsShown(ctx, admin, item), [], 'the plugin’s panels after stop()');
    await plugin.start();
    checkEqual((await ctx.visitor().get('/register')).status, 200, 'started again, the registration page');
    if (ctx.hut.profiles.includes('panels')) checkEqual(await pluginPanelsShown(ctx, admin, item), declared, 'started again, each panel once');
    await plugin.stop();
  }],
});

/** The host as a 1.0 host would present it: every 1.1 feature off, each naming the version, and the plugin still runs. */
export const versionSuite = suite('core', 'plugin', {
  'as-a-1-0-host': ['on the host declaring contract 1.0.0 the plugin loads, turns every 1.1 feature off naming the version, warns of each, and serves', async (ctx) => {
    const view = new Proxy(ctx.host, { get: (t, k) => (k === 'apiVersion' ? '1.0.0' : Reflect.get(t, k)) });
    const { plugin, lines } = await ctx.startPlugin(view);
    const needing11 = plugin.manifest.features.filter((f) => f.needs.hostApi === '1.1.0');
    check(needing11.length > 0, 'the manifest declares 1.1 features');
    for (const feature of needing11) {
      const status = plugin.features.find((f) => f.id === feature.id);
      check(status && !status.enabled && status.reasons.some((r) => r.includes('1.0.0')), `${feature.id} is off, naming the host's 1.0.0: ${status?.reasons.join('; ')}`);
      check(lines.some((l) => l.level === 'warn' && l.message.includes(`(${feature.id}) is off`)), `the host is warned that ${feature.id} is off`);
    }
    checkEqual((await ctx.visitor().get('/register')).status, 200, 'the registration page');
    await plugin.stop();
  }],
});

const OPTIONAL_PARTS = ['users.listAdmins', 'catalogue.reportUrl', 'access.itemSettingsUrl', 'access.portalSettingsUrl', 'devMailbox', 'users.findByIds', 'catalogue.getMany'] as const;

/** Each optional port method: the plugin runs on a host without it (docs/host-contract.md says the fallback). */
export const optionalSuite = suite('core', 'optional', Object.fromEntries(OPTIONAL_PARTS.map((part) => [
  `${part.replace(/\./g, '-').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}-absent`,
  [`the plugin starts, serves and stops on the host without ${part}`, async (ctx: KitContext) => {
    const view = without(ctx.host, part);
    check(view && !partOf(view, part), `the view hides ${part}`);
    const { plugin, lines } = await ctx.startPlugin(view);
    checkEqual((await ctx.visitor().get('/register')).status, 200, 'the registration page');
    if (ctx.hut.profiles.includes('panels')) {
      const adminUser = await ctx.person({ type: 'staff', role: 'super_admin' });
      const admin = await ctx.signedIn(adminUser);
      const item = (await ctx.hut.makeItem({ type: 'topic', origin: 'own' })).ref as { type: 'topic'; id: string };
      check((await pluginPanelsShown(ctx, admin, item)).includes('self-registration.enrolment'), 'the Enrolment panel');
      checkEqual((await admin.get('/admin/self-registration/tokens')).status, 200, 'the plugin’s Tokens page');
    }
    await plugin.stop();
    checkEqual(lines.filter((l) => l.level === 'error').map((l) => l.message), [], 'errors logged');
  }],
])));

function partOf(host: HostV1, part: string): unknown {
  return part.split('.').reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], host);
}
