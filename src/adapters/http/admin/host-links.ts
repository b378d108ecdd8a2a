import type { AccessControlPort } from '../../../contract/index.js';
import type { KnowledgeRef } from '../../../domain/shared/knowledge.js';

/** Links into the host that the contract may offer; without the portal settings page, `fallback`. */
export function hostLinks(access: AccessControlPort, fallback: string) {
  return {
    itemSettings: (ref: KnowledgeRef): string | null => (access.itemSettingsUrl ? access.itemSettingsUrl(ref) : null),
    portalSettings: (): string => (access.portalSettingsUrl ? access.portalSettingsUrl() : fallback),
  };
}
