import { inject, injectable } from 'inversify';
import type { AdminMenuPort } from '../../../contract/index.js';
import type { Manifest } from '../../../manifest/manifest.js';
import type { Routes } from '../../../manifest/routes.js';
import type { FeaturesPort } from '../../../domain/ports/features.port.js';
import type { PermissionId, PermissionsPort } from '../../../domain/ports/permissions.port.js';
import { TYPES, type LifecycleContribution } from '../../../types.js';

/**
 * Lists the manifest's `menu` entries in the host's admin menu (contract 1.1), each shown to the
 * people holding its permission; taken off again at stop(). Nothing happens on a host without one.
 */
@injectable()
export class AdminMenu implements LifecycleContribution {
  readonly phase = 'panels' as const;
  private off: (() => void)[] = [];

  constructor(
    @inject(TYPES.AdminMenu) private readonly menu: AdminMenuPort | null,
    @inject(TYPES.Manifest) private readonly manifest: Manifest,
    @inject(TYPES.Routes) private readonly routes: Routes,
    @inject(TYPES.Permissions) private readonly permissions: PermissionsPort,
    @inject(TYPES.Features) private readonly features: FeaturesPort,
  ) {}

  start(): void {
    this.stop();
    if (!this.menu || !this.features.enabled('admin.menu')) return;
    for (const entry of this.manifest.menu) {
      const permission = entry.permission as PermissionId;
      this.off.push(this.menu.add({ id: entry.id, label: entry.label, href: this.routes.path(entry.route, entry.path), visible: (user) => this.permissions.allows(permission, user) }));
    }
  }

  stop(): void {
    for (const off of this.off.splice(0)) off();
  }
}
