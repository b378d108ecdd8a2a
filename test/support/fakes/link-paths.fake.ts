import type { KnowledgeRef } from '../../../src/domain/shared/knowledge.js';
import type { LinkPathsPort } from '../../../src/domain/ports/link-paths.port.js';

/** The link paths plugin/manifest.json declares, as literals (the adapter that reads them is tested on its own). */
export class FakeLinkPaths implements LinkPathsPort {
  invitation(token: string): string {
    return `/self-registration/invitation/${encodeURIComponent(token)}`;
  }
  signIn(token: string): string {
    return `/self-registration/sign-in/${encodeURIComponent(token)}`;
  }
  deepLink(code: string): string {
    return `/register/${encodeURIComponent(code)}`;
  }
  registrationsReport(item: KnowledgeRef): string {
    return `/admin/self-registration/reports/registrations?item=${encodeURIComponent(`${item.type}:${item.id}`)}`;
  }
}
