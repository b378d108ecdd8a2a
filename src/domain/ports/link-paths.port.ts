import type { KnowledgeRef } from '../shared/knowledge.js';

/**
 * The paths (under the portal's public base URL) of the plugin's public pages that mail and other
 * places link to. The application asks for them; an adapter reads them from the manifest, so the
 * URL an email carries is the URL the plugin mounts.
 */
export interface LinkPathsPort {
  /** The set-password page of an invitation, e.g. `/self-registration/invitation/<token>`. */
  invitation(token: string): string;
  /** The confirm page of a sign-in link, e.g. `/self-registration/sign-in/<token>`. */
  signIn(token: string): string;
  /** The registration form opened with a code, e.g. `/register/<code>`. */
  deepLink(code: string): string;
  /** The plugin's registrations report of an item (admins), e.g. `/admin/self-registration/reports/registrations?item=topic%3A12`. */
  registrationsReport(item: KnowledgeRef): string;
}
