/*
 * The http port: the plugin mounts its routers under paths of its own; the app installs one
 * middleware (`dispatch`) that routes to whatever is mounted now, so unmounting takes effect at once.
 */
import express from 'express';
import type { RequestHandler, Router } from 'express';
import type { Logger } from 'pino';
import type { MountKind, Mounted } from '../../src/contract/index.js';

interface MountEntry {
  path: string;
  kind: MountKind;
  handler: Router;
}

const MOUNT_PATH_RE = /^(?:\/[A-Za-z0-9._~-]+)+$/;

export class MountRegistry {
  private entries: MountEntry[] = [];

  constructor(private readonly log: Logger, private readonly reserved: readonly string[] = []) {}

  mount(path: string, router: Router, kind: MountKind): Mounted {
    if (!MOUNT_PATH_RE.test(path)) throw new TypeError(`Mount path must look like /a/b (letters, digits, . _ ~ -), got "${path}"`);
    if (kind !== 'public' && kind !== 'admin' && kind !== 'api') throw new TypeError(`Unknown mount kind "${String(kind)}"`);
    if (typeof router !== 'function') throw new TypeError('mount() needs an Express router');
    const clash = this.reserved.find((r) => underPath(path, r) || underPath(r, path));
    if (clash) throw new Error(`Mount path ${path} overlaps the host's own ${clash}`);
    const previous = this.entries.find((e) => e.path === path);
    if (previous) {
      this.log.warn({ path }, 'Path mounted again: replacing the previous router');
      this.entries = this.entries.filter((e) => e !== previous);
    }
    const entry: MountEntry = { path, kind, handler: express.Router().use(path, router) };
    this.entries = [...this.entries, entry];
    this.log.info({ path, kind }, 'Mounted');
    return {
      unmount: () => {
        if (!this.entries.includes(entry)) return;
        this.entries = this.entries.filter((e) => e !== entry);
        this.log.info({ path, kind }, 'Unmounted');
      },
    };
  }

  /** The kind of the mount `path` falls under, if any. */
  kindAt(path: string): MountKind | null {
    return this.entries.find((e) => path === e.path || path.startsWith(`${e.path}/`))?.kind ?? null;
  }

  list(): { path: string; kind: MountKind }[] {
    return this.entries.map(({ path, kind }) => ({ path, kind }));
  }

  /** The one middleware the app installs: routes to whatever is mounted now. */
  readonly dispatch: RequestHandler = (req, res, next) => {
    const candidates = this.entries.filter((e) => underPath(req.path, e.path));
    let index = 0;
    const step = (error?: unknown): void => {
      if (error !== undefined && error !== null && error !== 'route' && error !== 'router') return next(error);
      const entry = candidates[index++];
      if (!entry) return next();
      if (!this.entries.includes(entry)) return step();
      entry.handler(req, res, step);
    };
    step();
  };
}

/** True when `path` is `base` or below it on a segment boundary. */
export function underPath(path: string, base: string): boolean {
  if (base === '/') return true;
  return path === base || path.startsWith(`${base}/`);
}
