/*
 * Host contract 1.1 (optional), the admin frame: the host puts the plugin's admin pages inside its
 * own layout (navigation, user menu, sign-out) and lists the plugin's pages in its admin menu.
 * Without them, the plugin's pages stand alone with their own small header, as in 1.0.
 */
import type { Request } from 'express';
import type { HostUser } from './data.js';

/** One plugin page, ready to frame: everything inside it is escaped by the plugin already. */
export interface PageFrame {
  /** The page's title, for the host's <title> and heading area. */
  readonly title: string;
  /** Markup for the host's <head>: the plugin's stylesheet and deferred script (same origin). */
  readonly head: string;
  /** The page's main content, to be placed where the host puts its own main content. */
  readonly main: string;
}

export interface LayoutPort {
  /** The whole HTML document: `page` inside the host's layout, as the person making `req` sees it. */
  frame(req: Request, page: PageFrame): Promise<string>;
}

export interface AdminMenuEntry {
  /** Stable id, from the plugin's manifest (`menu[].id`). */
  readonly id: string;
  readonly label: string;
  /** Same-origin path of the page. */
  readonly href: string;
  /** Whether the entry is shown to this person (the plugin's permission check). */
  visible(user: HostUser): boolean;
}

export interface AdminMenuPort {
  /** Lists an entry in the host's admin menu; returns the way to take it off again. */
  add(entry: AdminMenuEntry): () => void;
}
