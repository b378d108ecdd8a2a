import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { HOST_EVENTS, HOST_FILTERS } from '../contract/index.js';

const alternatives = (names: readonly string[]): string => names.map((e) => e.replace(/\./g, '\\.')).join('|');
/** `action:`/`static:` name a host event; `filter:` names a host filter (contract 1.1). */
const HOOK_NAME = new RegExp(`^((action|static):(${alternatives(HOST_EVENTS)})|filter:(${alternatives(HOST_FILTERS)}))$`);

/** The manifest's schema: the loader refuses a manifest that does not match it. */
const manifestSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  name: z.string().min(1),
  version: z.string().regex(/^\d+\.\d+\.\d+/),
  description: z.string().min(1),
  hostApi: z.string().regex(/^\^\d+\.\d+\.\d+$/, 'hostApi must be a caret range such as ^1.0.0'),
  entry: z.string().min(1),
  requiredPorts: z.array(z.string()).min(1),
  optionalPorts: z.array(z.string()).default([]),
  /**
   * Features that need optional parts of a newer minor contract (1.1): each is switched off, and said
   * so at load, on a host that lacks the version or one of the parts (dotted paths such as `events.filter`).
   */
  features: z.array(z.object({
    id: z.string().regex(/^[a-z][a-z0-9.-]*$/),
    description: z.string().min(1),
    needs: z.object({ hostApi: z.string().regex(/^\d+\.\d+\.\d+$/), ports: z.array(z.string().min(1)).default([]) }),
  })).refine((fs) => new Set(fs.map((f) => f.id)).size === fs.length, 'feature ids must be unique').default([]),
  hooks: z.array(
    z.object({
      hook: z.string().regex(HOOK_NAME, 'hook must be action:/static: and a host event, or filter: and a host filter (type:noun.verb)'),
      method: z.string().min(1),
      priority: z.number().int(),
      /** Subscribed only while this feature (of `features`) is on, e.g. a hook on a 1.1 event. */
      feature: z.string().optional(),
    }),
  ),
  routes: z.array(
    z.object({
      id: z.string().regex(/^[a-z][a-z-]*$/),
      kind: z.enum(['public', 'admin', 'api']),
      mount: z.string().regex(/^\/[a-z0-9/-]*[a-z0-9]$/, 'mount must be an absolute path without a trailing slash'),
      /** Named paths under the mount that the plugin links to (emailed links, deep links); `{param}` placeholders. */
      paths: z.record(z.string(), z.string().regex(/^\/[A-Za-z0-9/{}_-]*$/)).default({}),
      description: z.string(),
    }),
  ).refine((routes) => new Set(routes.map((r) => r.id)).size === routes.length, 'route ids must be unique'),
  /** Background work the plugin runs while started (each id is implemented by one WorkerContribution). */
  workers: z.array(z.object({ id: z.string().regex(/^[a-z][a-z-]*$/), description: z.string().min(1) }))
    .refine((workers) => new Set(workers.map((w) => w.id)).size === workers.length, 'worker ids must be unique')
    .default([]),
  /** Entries of the host's admin menu (contract 1.1): a page under a route's named path, shown to holders of a permission. */
  menu: z.array(z.object({ id: z.string().min(1), label: z.string().min(1), route: z.string(), path: z.string(), permission: z.string() })).default([]),
  panels: z.array(z.object({ slot: z.enum(['item.settings', 'portal.settings']), id: z.string(), title: z.string() })),
  permissions: z.array(z.object({ id: z.string().regex(/^self-registration:[a-z.]+$/), roles: z.array(z.enum(['super_admin', 'standard_admin'])) })),
  userTypes: z.array(z.object({ id: z.string(), label: z.string(), description: z.string() })),
  migrations: z.object({ directory: z.string(), tableName: z.string().startsWith('selfreg_') }),
  views: z.string(),
  configuration: z.array(
    z.object({
      key: z.string(),
      env: z.string(),
      required: z.boolean(),
      default: z.union([z.string(), z.number(), z.boolean(), z.null()]),
      description: z.string(),
    }),
  ),
}).superRefine((m, ctx) => {
  const features = new Set(m.features.map((f) => f.id));
  m.menu.forEach((e, i) => {
    const route = m.routes.find((r) => r.id === e.route);
    if (!route || !(e.path in route.paths)) ctx.addIssue({ code: 'custom', path: ['menu', i], message: `menu entry ${e.id} names ${e.route}.${e.path}, which routes does not declare` });
    if (!m.permissions.some((p) => p.id === e.permission)) ctx.addIssue({ code: 'custom', path: ['menu', i, 'permission'], message: `menu entry ${e.id} names permission ${e.permission}, which permissions does not declare` });
  });
  m.hooks.forEach((h, i) => {
    if (h.feature && !features.has(h.feature)) ctx.addIssue({ code: 'custom', path: ['hooks', i, 'feature'], message: `hook ${h.hook} names feature "${h.feature}", which features does not declare` });
  });
});

export type Manifest = z.infer<typeof manifestSchema>;

export function parseManifest(json: unknown): { ok: true; manifest: Manifest } | { ok: false; errors: string[] } {
  const parsed = manifestSchema.safeParse(json);
  if (parsed.success) return { ok: true, manifest: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
}

export function readManifest(pluginRoot: string): Manifest {
  const file = path.join(pluginRoot, 'plugin', 'manifest.json');
  const parsed = parseManifest(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.ok) throw new Error(`Invalid plugin manifest ${file}:\n  ${parsed.errors.join('\n  ')}`);
  return parsed.manifest;
}

/** Whether `hostVersion` satisfies a caret range `^M.m.p` (same major, not older). */
export function satisfiesCaret(range: string, hostVersion: string): boolean {
  const want = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(range);
  const have = /^(\d+)\.(\d+)\.(\d+)/.exec(hostVersion);
  if (!want || !have) return false;
  const [w, h] = [want.slice(1).map(Number), have.slice(1).map(Number)] as [number[], number[]];
  if (h[0] !== w[0]) return false;
  if (h[1]! !== w[1]!) return h[1]! > w[1]!;
  return h[2]! >= w[2]!;
}

/**
 * Checks a host against the manifest: API version and required ports. Returns every problem at
 * once, each naming what is missing or which version is needed.
 */
export function checkHost(manifest: Manifest, host: unknown): string[] {
  const problems: string[] = [];
  if (!host || typeof host !== 'object') return ['No host object was given to register().'];
  const h = host as Record<string, unknown>;
  const version = typeof h.apiVersion === 'string' ? h.apiVersion : undefined;
  if (!version) problems.push(`The host does not declare apiVersion; ${manifest.name} needs host API ${manifest.hostApi}.`);
  else if (!satisfiesCaret(manifest.hostApi, version)) problems.push(`The host implements host API ${version}; ${manifest.name} needs ${manifest.hostApi}.`);
  for (const port of manifest.requiredPorts) {
    if (h[port] === undefined || h[port] === null) problems.push(`The host does not provide the required port "${port}".`);
  }
  return problems;
}
