/*
 * Every route the plugin mounts, read off the routers its contributions build (not a hand-kept
 * list), so a fuzz walk cannot miss one that is added later.
 */
import express from 'express';
import type { Container } from 'inversify';
import { TYPES } from '../../src/types.js';
import type { Manifest } from '../../src/manifest/manifest.js';

export interface MountedRoute {
  readonly kind: 'public' | 'admin' | 'api';
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** The full path pattern, e.g. `/admin/self-registration/tokens/:id/delete`. */
  readonly pattern: string;
}

interface RouteContributionLike {
  readonly route: string;
  contribute(router: express.Router): void;
}

export function mountedRoutes(container: Container): MountedRoute[] {
  const manifest = container.get<Manifest>(TYPES.Manifest);
  const contributions = container.getAll<RouteContributionLike>(TYPES.RouteContribution);
  const out: MountedRoute[] = [];
  for (const route of manifest.routes) {
    const router = express.Router();
    for (const c of contributions.filter((x) => x.route === route.id)) c.contribute(router);
    for (const layer of router.stack as unknown as { route?: { path: string | string[]; methods: Record<string, boolean> } }[]) {
      if (!layer.route) continue;
      for (const path of ([] as string[]).concat(layer.route.path)) {
        for (const method of Object.keys(layer.route.methods)) {
          if (method === '_all') continue;
          out.push({ kind: route.kind, method: method as MountedRoute['method'], pattern: `${route.mount}${path === '/' ? '' : path}` || '/' });
        }
      }
    }
  }
  return out;
}

/** Fills a pattern's `:params`: `:type` with an item type, the rest with `value`, encoded. */
export function fill(pattern: string, value: string, params: Record<string, string> = {}): string {
  return pattern.replace(/:([A-Za-z]+)/g, (_m, name: string) => encodeURIComponent(params[name] ?? value));
}
