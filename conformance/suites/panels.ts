/*
 * Panels: what the plugin registers shows in its slot under its title, with the viewer (and the item)
 * it is shown for; null hides it; the same id again replaces it; unregistering leaves nothing.
 */
import type { HostUser, KnowledgeItem, PanelContext, PanelSlot } from '../../src/contract/index.js';
import type { KitContext } from '../kit/context.js';
import { check, checkEqual, suite } from '../kit/define.js';
import type { Visitor } from '../kit/visitor.js';

interface Seen {
  user: string;
  item: string | null;
  hasReq: boolean;
}

async function adminPage(ctx: KitContext): Promise<{ admin: HostUser; visitor: Visitor }> {
  const admin = await ctx.person({ type: 'staff', role: 'super_admin' });
  return { admin, visitor: await ctx.signedIn(admin) };
}

async function shown(ctx: KitContext, visitor: Visitor, slot: PanelSlot, item?: KnowledgeItem) {
  const page = await visitor.get(ctx.hut.panelPage(slot, item?.ref));
  checkEqual(page.status, 200, `the ${slot} page`);
  return ctx.hut.panelsIn(page.text);
}

function probePanel(ctx: KitContext, slot: PanelSlot, id: string, title: string, html: string | null, seen: Seen[] = []): () => void {
  const off = ctx.host.panels.register({
    slot, id, title,
    async render(c: PanelContext) {
      seen.push({ user: c.user.id, item: c.item?.ref.id ?? null, hasReq: typeof c.req?.get === 'function' });
      return html;
    },
  });
  check(typeof off === 'function', 'panels.register returns an unregister function');
  ctx.defer(off);
  return off;
}

export const panelsSuite = suite('panels', 'slots', {
  'portal-settings': ['a portal.settings panel shows under its title on the portal settings page, rendered for the viewer', async (ctx) => {
    const { admin, visitor } = await adminPage(ctx);
    const id = ctx.unique('kit.portal');
    const marker = `<p data-kit="${id}">kit panel</p>`;
    const seen: Seen[] = [];
    probePanel(ctx, 'portal.settings', id, 'Kit portal panel', marker, seen);
    const panel = (await shown(ctx, visitor, 'portal.settings')).find((p) => p.id === id);
    check(panel, 'the panel is on the page');
    checkEqual(panel.title, 'Kit portal panel', 'its title');
    check(panel.html.includes(marker), 'its HTML, unescaped (it is trusted)');
    checkEqual(seen.at(-1), { user: admin.id, item: null, hasReq: true }, 'render got the viewer and the request');
  }],
  'item-settings': ['an item.settings panel shows on the item’s page and is rendered with that item', async (ctx) => {
    const { admin, visitor } = await adminPage(ctx);
    const item = await ctx.hut.makeItem({ type: 'article', origin: 'own' });
    const id = ctx.unique('kit.item');
    const seen: Seen[] = [];
    probePanel(ctx, 'item.settings', id, 'Kit item panel', `<p>${id}</p>`, seen);
    check((await shown(ctx, visitor, 'item.settings', item)).some((p) => p.id === id && p.html.includes(id)), 'the panel is on the item’s page');
    checkEqual(seen.at(-1), { user: admin.id, item: item.ref.id, hasReq: true }, 'render got the viewer, the request and the item');
    check(!(await shown(ctx, visitor, 'portal.settings')).some((p) => p.id === id), 'an item panel is not on the portal page');
  }],
  'null-hides': ['a panel whose render returns null is not shown', async (ctx) => {
    const { visitor } = await adminPage(ctx);
    const id = ctx.unique('kit.hidden');
    probePanel(ctx, 'portal.settings', id, 'Hidden', null);
    check(!(await shown(ctx, visitor, 'portal.settings')).some((p) => p.id === id), 'the hidden panel');
  }],
  'same-id-replaces': ['registering the same id again replaces the earlier panel', async (ctx) => {
    const { visitor } = await adminPage(ctx);
    const id = ctx.unique('kit.twice');
    probePanel(ctx, 'portal.settings', id, 'First', '<p>first</p>');
    probePanel(ctx, 'portal.settings', id, 'Second', '<p>second</p>');
    const mine = (await shown(ctx, visitor, 'portal.settings')).filter((p) => p.id === id);
    checkEqual(mine.map((p) => p.title), ['Second'], 'panels with that id');
  }],
  'unregister-leaves-nothing': ['unregistering a panel removes it from its page', async (ctx) => {
    const { visitor } = await adminPage(ctx);
    const id = ctx.unique('kit.gone');
    const off = probePanel(ctx, 'portal.settings', id, 'Gone soon', '<p>here</p>');
    check((await shown(ctx, visitor, 'portal.settings')).some((p) => p.id === id), 'shown before unregistering');
    off();
    check(!(await shown(ctx, visitor, 'portal.settings')).some((p) => p.id === id), 'shown after unregistering');
  }],
});
