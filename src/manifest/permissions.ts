import type { Manifest } from './manifest.js';
import type { PermissionsPort } from '../domain/ports/permissions.port.js';

/** What a permission check needs to know of a person (a HostUser has it). */
export interface Actor {
  readonly role: string | null;
  readonly status: string;
}

/**
 * The permissions the manifest declares, checked by id (`self-registration:tokens.manage`): an
 * active person holding one of the roles the manifest lists for it. Checking an id the manifest
 * does not declare throws, so code and manifest cannot drift apart silently.
 */
export class Permissions implements PermissionsPort {
  private readonly roles: Map<string, ReadonlySet<string>>;

  constructor(manifest: Pick<Manifest, 'permissions'>) {
    this.roles = new Map(manifest.permissions.map((p) => [p.id, new Set<string>(p.roles)]));
  }

  allows(permission: string, actor: Actor | null | undefined): boolean {
    const roles = this.roles.get(permission);
    if (!roles) throw new Error(`plugin/manifest.json declares no permission "${permission}"`);
    return !!actor && actor.status === 'active' && actor.role !== null && roles.has(actor.role);
  }

  /** The ids the manifest declares. */
  ids(): string[] {
    return [...this.roles.keys()];
  }
}

/** The permission ids the code checks; each must be declared in plugin/manifest.json (the domain owns the list). */
export { PERMISSION_IDS as PERMISSIONS } from '../domain/ports/permissions.port.js';
