/*
 * Campus mounts plugin routers in a table keyed by path: a request looks up its own path and each
 * shorter prefix (longest first), so a lookup costs the path's depth, not the number of mounts.
 * Unmounting deletes the entry: the next request no longer finds it. The host's own prefixes are kept.
 */
import express from 'express';
import type { RequestHandler, Router } from 'express';
import type { HttpPort, MountKind, Mounted } from '../../src/contract/index.js';

interface Entry {
  readonly kind: MountKind;
  readonly handler: Router;
}

export class RouterTable implements HttpPort {
  private readonly table = new Map<string, Entry>();

  constructor(private readonly reserved: readonly string[]) {}

  mount(path: string, router: Router, kind: MountKind): Mounted {
    if (!/^(?:\/[A-Za-z0-9._~-]+)+$/.test(path)) throw new TypeError(`Campus cannot mount at "${path}"`);
    if (!['public', 'admin', 'api'].includes(kind)) throw new TypeError(`Unknown mount kind "${kind}"`);
    if (this.reserved.some((r) => path === r || path.startsWith(`${r}/`) || r.startsWith(`${path}/`))) throw new Error(`${path} is Campus's own`);
    const entry: Entry = { kind, handler: express.Router().use(path, router) };
    this.table.set(path, entry);
    return {
      unmount: () => {
        if (this.table.get(path) === entry) this.table.delete(path);
      },
    };
  }

  readonly dispatch: RequestHandler = (req, res, next) => {
    const segments = req.path.split('/').filter(Boolean);
    const found: Entry[] = [];
    for (let depth = segments.length; depth > 0; depth--) {
      const entry = this.table.get(`/${segments.slice(0, depth).join('/')}`);
      if (entry) found.push(entry);
    }
    const step = (error?: unknown): void => {
      if (error !== undefined && error !== 'route' && error !== 'router') return next(error);
      const entry = found.shift();
      if (!entry) return next();
      entry.handler(req, res, step);
    };
    step();
  };
}
