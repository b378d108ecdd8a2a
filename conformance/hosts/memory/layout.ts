/*
 * The memory host's admin frame (contract 1.1): one small layout — a header with the host's name, its
 * navigation (its own settings page for admins, then the admin-menu entries the viewer may see) and
 * who is signed in — around its own pages and the plugin's framed pages alike. Menu entries must be
 * same-origin paths; the function `add` returns takes the entry off.
 */
import type { Request } from 'express';
import type { AdminMenuEntry, AdminMenuPort, HostUser, LayoutPort } from '../../../src/contract/index.js';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const SAME_ORIGIN_PATH = /^\/(?![/\\])[^\\\s]*$/;

export interface MemoryLayout {
  readonly layout: LayoutPort;
  readonly adminMenu: AdminMenuPort;
}

export function memoryLayout(portalName: string, currentUser: (req: Request) => Promise<HostUser | null>): MemoryLayout {
  const entries = new Map<string, AdminMenuEntry>();

  const adminMenu: AdminMenuPort = {
    add(entry) {
      if (typeof entry.href !== 'string' || !SAME_ORIGIN_PATH.test(entry.href)) throw new TypeError(`Admin menu entry ${entry.id}: href must be a same-origin path`);
      entries.set(entry.id, entry);
      return () => void (entries.get(entry.id) === entry && entries.delete(entry.id));
    },
  };

  function navigation(user: HostUser | null): string {
    if (!user) return '<a href="/sign-in">Sign in</a>';
    const links = [{ label: 'Home', href: '/' }, ...(user.role ? [{ label: 'Portal settings', href: '/settings/portal' }] : [])];
    for (const entry of entries.values()) if (entry.visible(user)) links.push({ label: entry.label, href: entry.href });
    return links.map((l) => `<a href="${esc(l.href)}">${esc(l.label)}</a>`).join('');
  }

  const layout: LayoutPort = {
    async frame(req, page) {
      const user = await currentUser(req);
      const who = user ? `<span class="who">${esc(`${user.firstName} ${user.lastName}`)}</span>` : '';
      return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${esc(page.title)} · ${esc(portalName)}</title>${page.head}</head>`
        + `<body><header class="memory-layout"><strong>${esc(portalName)}</strong><nav class="memory-nav" aria-label="Main">${navigation(user)}</nav>${who}</header>`
        + `<main id="main">${page.main}</main></body></html>`;
    },
  };

  return { layout, adminMenu };
}
