/*
 * The admin frame (contract 1.1, optional): `layout.frame(req, page)` gives one whole HTML document,
 * the page's `main` and `head` in it unchanged and its `title` escaped, drawn in the host's layout; the
 * host's admin menu shows an entry added with `adminMenu.add` only to the people its `visible(user)`
 * accepts, only with a same-origin href, and the function `add` returns takes it off leaving nothing;
 * the plugin's real Tokens page is served inside the host's layout and listed in its menu. On a host
 * without the profile the plugin's pages stand alone (the features off are proven by profiles.frame.absent).
 */
import type { AdminMenuEntry, HostUser } from '../../src/contract/index.js';
import type { KitContext } from '../kit/context.js';
import { check, checkEqual, suite, type ConformanceTest } from '../kit/define.js';
import type { FrameControls, ShownMenuEntry } from '../kit/types.js';
import type { Visitor } from '../kit/visitor.js';

const TOKENS = '/admin/self-registration/tokens';
const FRAME_FEATURES = ['admin.host-layout', 'admin.menu'];

function controls(ctx: KitContext): FrameControls {
  check(ctx.host.layout && typeof ctx.host.layout.frame === 'function', 'the host offers layout.frame');
  check(ctx.host.adminMenu && typeof ctx.host.adminMenu.add === 'function', 'the host offers adminMenu.add');
  check(ctx.hut.frame, 'the host’s factory gives the frame controls (menuEntriesFor, framedIn)');
  return ctx.hut.frame;
}

/** Decodes the character references an HTML escaper writes. */
const decode = (s: string): string => s
  .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
  .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
  .replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const count = (html: string, re: RegExp): number => html.match(re)?.length ?? 0;

async function signedIn(ctx: KitContext, role: HostUser['role']): Promise<{ user: HostUser; visitor: Visitor }> {
  const user = await ctx.person({ type: role ? 'staff' : 'client', role });
  return { user, visitor: await ctx.signedIn(user) };
}

function addEntry(ctx: KitContext, entry: AdminMenuEntry): () => void {
  const off = ctx.host.adminMenu!.add(entry);
  check(typeof off === 'function', 'adminMenu.add returns the function that takes the entry off');
  ctx.defer(off);
  return off;
}

const has = (shown: readonly ShownMenuEntry[], label: string, href?: string): boolean => shown.some((e) => e.label === label && (href === undefined || e.href === href));

export const frameSuite = suite('frame', 'layout', {
  'one-document': ['layout.frame(req, page) returns one whole HTML document in the host’s layout: main and head unchanged, the title escaped', async (ctx) => {
    const frame = controls(ctx);
    const { visitor } = await signedIn(ctx, 'super_admin');
    const id = ctx.unique('kit');
    const title = `Kit <b>${id}</b> & "quotes"`;
    const head = `<meta name="kit-frame" content="${id}">`;
    const main = `<section id="${id}"><h1>Kit page</h1><p>a &amp; b &lt;i&gt;</p><form method="post" action="/x"><button>Go</button></form></section>`;
    const path = ctx.probe((router) => router.get('/', async (req, res, next) => {
      try {
        res.type('html').send(await ctx.host.layout!.frame(req, { title, head, main }));
      } catch (error) {
        next(error);
      }
    }), 'admin');
    const page = await visitor.get(`${path}/`);
    checkEqual(page.status, 200, 'the framed page');
    const html = page.text;
    check(/^\s*<!doctype html>/i.test(html), 'the document starts with <!doctype html>');
    checkEqual([count(html, /<html[\s>]/gi), count(html, /<\/html>/gi), count(html, /<head[\s>]/gi), count(html, /<body[\s>]/gi)], [1, 1, 1, 1], '<html>, </html>, <head> and <body> in the document');
    const headAt = html.indexOf(head);
    check(headAt >= 0 && headAt < html.search(/<\/head>/i), 'the page’s head markup, unchanged, inside <head>');
    const mainAt = html.indexOf(main);
    check(mainAt > html.search(/<body[\s>]/i), 'the page’s main markup, unchanged, inside <body>');
    check(!html.includes(`<b>${id}</b>`), 'the title is escaped: its markup appears nowhere as markup');
    const shownTitle = /<title>([\s\S]*?)<\/title>/i.exec(html)?.[1];
    check(shownTitle !== undefined && decode(shownTitle).includes(title), `the <title> holds the page’s title, escaped: ${shownTitle}`);
    check(frame.framedIn(html), 'the document is drawn in the host’s own layout');
  }],
});

export const menuSuite = suite('frame', 'menu', {
  'visible-only': ['an entry added with adminMenu.add is shown to the people visible(user) accepts, and to no one else', async (ctx) => {
    const frame = controls(ctx);
    const one = await signedIn(ctx, 'super_admin');
    const other = await signedIn(ctx, 'super_admin');
    const learner = await signedIn(ctx, null);
    const label = `Kit entry ${ctx.unique('menu')}`;
    const href = `/conformance-kit/${ctx.unique('page')}`;
    const asked: string[] = [];
    addEntry(ctx, { id: ctx.unique('kit.menu'), label, href, visible: (user) => (asked.push(user.id), user.id === one.user.id) });
    check(has(await frame.menuEntriesFor(one.visitor), label, href), 'the entry is shown, with its label and href, to the person visible() accepts');
    check(asked.includes(one.user.id), 'visible() is asked with the person viewing the page');
    check(!has(await frame.menuEntriesFor(other.visitor), label), 'the entry is not shown to an admin visible() refuses');
    check(!has(await frame.menuEntriesFor(learner.visitor), label), 'the entry is not shown to a learner visible() refuses');
  }],
  'same-origin-only': ['an entry whose href is not a same-origin path is refused or never shown', async (ctx) => {
    const frame = controls(ctx);
    const { visitor } = await signedIn(ctx, 'super_admin');
    const hrefs = ['https://elsewhere.example/admin', '//elsewhere.example/admin', '/\\elsewhere.example/admin', 'javascript:alert(1)', 'admin/relative'];
    const labels: string[] = [];
    for (const href of hrefs) {
      const label = `Kit foreign ${ctx.unique('menu')}`;
      labels.push(label);
      try {
        ctx.defer(ctx.host.adminMenu!.add({ id: ctx.unique('kit.foreign'), label, href, visible: () => true }));
      } catch {
        // Refusing it at add() keeps the promise too.
      }
    }
    const shown = await frame.menuEntriesFor(visitor);
    checkEqual(shown.filter((e) => labels.includes(e.label) || hrefs.includes(e.href)), [], 'entries with a foreign href in the menu');
  }],
  'off-leaves-nothing': ['the function adminMenu.add returns takes the entry off, leaving the menu as it was', async (ctx) => {
    const frame = controls(ctx);
    const { visitor } = await signedIn(ctx, 'super_admin');
    const before = await frame.menuEntriesFor(visitor);
    const label = `Kit passing ${ctx.unique('menu')}`;
    const off = addEntry(ctx, { id: ctx.unique('kit.passing'), label, href: `/conformance-kit/${ctx.unique('page')}`, visible: () => true });
    check(has(await frame.menuEntriesFor(visitor), label), 'the entry while it is added');
    off();
    off();
    checkEqual(await frame.menuEntriesFor(visitor), before, 'the menu after taking the entry off (twice)');
  }],
});

export const framedPluginSuite = suite('frame', 'plugin', {
  'tokens-in-layout': ['the plugin’s Tokens page is served inside the host’s layout and listed in its admin menu for the admins who may manage tokens', async (ctx) => {
    const frame = controls(ctx);
    const { plugin } = await ctx.startPlugin();
    for (const id of FRAME_FEATURES) check(plugin.features.find((f) => f.id === id)?.enabled, `feature ${id} is on`);
    const admin = await signedIn(ctx, 'super_admin');
    const page = await admin.visitor.get(TOKENS);
    checkEqual(page.status, 200, 'the Tokens page');
    check(frame.framedIn(page.text), 'the Tokens page is drawn in the host’s layout');
    checkEqual(count(page.text, /<html[\s>]/gi), 1, '<html> elements in the Tokens page');
    check(has(await frame.menuEntriesFor(admin.visitor), 'Tokens', TOKENS), 'Tokens in the admin menu of a super admin');
    check(!has(await frame.menuEntriesFor((await signedIn(ctx, null)).visitor), 'Tokens'), 'Tokens not in the menu of a learner');
    await plugin.stop();
    check(!has(await frame.menuEntriesFor(admin.visitor), 'Tokens'), 'Tokens gone from the menu once the plugin stopped');
  }],
});

/** On a host without the profile: the plugin's admin pages are whole pages of their own. */
export const standaloneTests: ConformanceTest[] = [{
  id: 'frame.standalone.tokens-page', profile: 'frame', when: 'absent',
  title: 'without layout and adminMenu the plugin’s admin pages stand alone: admin.host-layout and admin.menu are off, the Tokens page is one document of its own',
  async run(ctx) {
    const { plugin } = await ctx.startPlugin();
    for (const id of FRAME_FEATURES) {
      const status = plugin.features.find((f) => f.id === id);
      check(status && !status.enabled && status.reasons.length > 0, `feature ${id} is off, with its reasons`);
    }
    const { visitor } = await signedIn(ctx, 'super_admin');
    const page = await visitor.get(TOKENS);
    checkEqual(page.status, 200, 'the Tokens page');
    check(/^\s*<!doctype html>/i.test(page.text), 'a whole document');
    checkEqual(count(page.text, /<html[\s>]/gi), 1, '<html> elements in the Tokens page');
    check(page.text.includes('selfreg-admin-header'), 'the plugin’s own admin header, linking back into the host');
  },
}];
