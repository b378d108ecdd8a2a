import type { Manifest } from '../manifest/manifest.js';
import { PERMISSIONS } from '../manifest/permissions.js';

/*
 * Where the code and plugin/manifest.json disagree, each found as early as it can be: permissions
 * at register(), mounts once the routes phase has started. (Panels, hooks and workers are checked by
 * ManifestPanels, HookRegistry and ManifestWorkers as they start; configuration by manifest/options.)
 */

/** The permission ids the code checks against those the manifest declares. */
export function permissionProblems(manifest: Pick<Manifest, 'permissions'>, checked: readonly string[] = Object.values(PERMISSIONS)): string[] {
  const declared = new Set(manifest.permissions.map((p) => p.id));
  return [
    ...checked.filter((id) => !declared.has(id)).map((id) => `The code checks permission "${id}", which plugin/manifest.json does not declare.`),
    ...[...declared].filter((id) => !checked.includes(id)).map((id) => `plugin/manifest.json declares permission "${id}", which no code checks.`),
  ];
}

/** What is mounted against the manifest's routes: each declared mount once, nothing else. */
export function mountProblems(manifest: Pick<Manifest, 'routes'>, mounted: readonly { path: string; kind: string }[]): string[] {
  const problems: string[] = [];
  for (const route of manifest.routes) {
    const at = mounted.filter((m) => m.path === route.mount);
    if (at.length === 0) problems.push(`plugin/manifest.json declares route "${route.id}" (${route.mount}), which nothing mounts.`);
    else if (at.some((m) => m.kind !== route.kind)) problems.push(`Route "${route.id}" is mounted as another kind than the manifest's "${route.kind}".`);
  }
  const declared = new Set(manifest.routes.map((r) => r.mount));
  for (const m of mounted) if (!declared.has(m.path)) problems.push(`Something mounts ${m.path}, which plugin/manifest.json does not declare.`);
  return problems;
}
