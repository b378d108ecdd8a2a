/*
 * Contract 1.1's admin frame in the sandbox: the plugin's admin pages are drawn inside the
 * sandbox's own header (navigation, user menu, sign-out) and footer, and its pages are listed in
 * the sandbox's admin navigation. The web layer supplies the renderer once the app exists.
 */
import type { Request } from 'express';
import type { AdminMenuEntry, AdminMenuPort, HostUser, LayoutPort, PageFrame } from '../../src/contract/index.js';

export type FrameRenderer = (req: Request, page: PageFrame) => Promise<string>;

export class LayoutRegistry {
  private renderer: FrameRenderer | null = null;

  /** Set by the web app: renders a framed page with the sandbox's header and footer. */
  useRenderer(renderer: FrameRenderer): void {
    this.renderer = renderer;
  }

  readonly port: LayoutPort = {
    frame: (req, page) => {
      if (!this.renderer) throw new Error('The sandbox layout is not ready: the web app has not started');
      return this.renderer(req, page);
    },
  };
}

export class AdminMenuRegistry {
  private readonly entries = new Map<string, AdminMenuEntry>();

  readonly port: AdminMenuPort = {
    add: (entry) => {
      if (!/^\/(?![/\\])/.test(entry.href)) throw new Error(`Admin menu entry ${entry.id}: href must be a same-origin path`);
      this.entries.set(entry.id, entry);
      return () => {
        if (this.entries.get(entry.id) === entry) this.entries.delete(entry.id);
      };
    },
  };

  /** The entries this person may see, in the order they were added. */
  visibleTo(user: HostUser | null): { id: string; label: string; href: string }[] {
    if (!user) return [];
    return [...this.entries.values()].filter((e) => e.visible(user)).map(({ id, label, href }) => ({ id, label, href }));
  }

  get size(): number {
    return this.entries.size;
  }
}
