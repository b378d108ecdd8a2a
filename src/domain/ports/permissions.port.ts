import type { HostUser } from '../shared/user.js';

/**
 * The permission ids the plugin checks. plugin/manifest.json declares each one with the roles that
 * hold it; src/manifest/permissions.ts offers these same ids as PERMISSIONS and refuses, loudly, to
 * check an id the manifest does not declare.
 */
export const PERMISSION_IDS = {
  tokensManage: 'self-registration:tokens.manage',
  portalManage: 'self-registration:portal.manage',
  apiKeysManage: 'self-registration:apikeys.manage',
  brandingManage: 'self-registration:branding.manage',
  webhooksManage: 'self-registration:webhooks.manage',
  rulesManage: 'self-registration:rules.manage',
} as const;

export type PermissionId = (typeof PERMISSION_IDS)[keyof typeof PERMISSION_IDS];

/** Whether a person holds a permission, by its manifest id (implemented by the manifest's Permissions). */
export interface PermissionsPort {
  allows(permission: PermissionId, actor: HostUser | null): boolean;
}
