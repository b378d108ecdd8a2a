/*
 * Host contract v1, the HTTP side: who is asking, signing in, mounting routers and settings panels.
 * These are the only ports that see Express requests.
 */
import type { Request, Response, Router } from 'express';
import type { HostUser, KnowledgeItem, KnowledgeRef } from './data.js';
import type { PasswordsPort } from './ports.js';

/** Who is making this request, as the host's session knows it. */
export interface AccessControlPort {
  currentUser(req: Request): Promise<HostUser | null>;
  /**
   * A stable, secret-free identifier of the visitor's session (null without one). The plugin binds
   * its CSRF tokens to it, so it must change when the session is regenerated at sign-in.
   */
  sessionKey(req: Request): string | null;
  /** Where the host's sign-in page is, returning to the same-origin path `returnTo` afterwards. */
  signInUrl(returnTo: string): string;
  /**
   * Optional: the same-origin path of an item's Settings tab (where the Enrolment panel shows), so
   * the plugin's own admin pages can link back to it. Without it, items are shown unlinked.
   */
  itemSettingsUrl?(item: KnowledgeRef): string;
  /**
   * Optional: the same-origin path of the portal settings page (where the `portal.settings` panels
   * show). Without it, the plugin links to its own Tokens page, which also shows the switch.
   */
  portalSettingsUrl?(): string;
}

export interface CredentialsPort extends PasswordsPort {
  /** Signs the user in through the host's own authentication (passport): regenerates the session. */
  signIn(req: Request, res: Response, userId: string): Promise<void>;
}

export type MountKind = 'public' | 'admin' | 'api';

export interface Mounted {
  unmount(): void;
}

/** The host mounts routers at absolute paths, after its session and body parsers, before its 404. */
export interface HttpPort {
  mount(path: string, router: Router, kind: MountKind): Mounted;
}

export type PanelSlot = 'item.settings' | 'portal.settings';

export interface PanelContext {
  readonly req: Request;
  readonly user: HostUser;
  /** Present for `item.settings` panels. */
  readonly item?: KnowledgeItem;
}

export interface PanelDefinition {
  readonly slot: PanelSlot;
  readonly id: string;
  readonly title: string;
  /** Returns trusted HTML (the plugin escapes everything it renders); null hides the panel for this viewer. */
  render(ctx: PanelContext): Promise<string | null>;
}

export interface PanelsPort {
  register(panel: PanelDefinition): () => void;
}
