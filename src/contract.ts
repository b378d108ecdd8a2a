/*
 * Host contract v1: everything a host LMS hands the plugin in `register(host)`.
 * docs/host-contract.md explains each port; this file is the type-checked form of it.
 */
import type { Knex } from 'knex';
import type { Request, Response, Router } from 'express';
import type { HostUser } from './domain/user.js';
import type { KnowledgeItem } from './domain/knowledge.js';
import type {
  CataloguePort, EnrolmentsPort, EventsPort, PasswordsPort, PortalPort, SeatsPort, UsersPort,
} from './domain/ports/host.ports.js';
import type { LoggerPort } from './domain/ports/logger.port.js';
import type { ClockPort } from './domain/ports/clock.port.js';

export type * from './domain/ports/host.ports.js';
export type { LoggerPort } from './domain/ports/logger.port.js';
export type { ClockPort } from './domain/ports/clock.port.js';
export type { HostUser, NewUser, UserType, AdminRole, UserStatus } from './domain/user.js';
export type { KnowledgeItem, KnowledgeRef, KnowledgeType, KnowledgeOrigin } from './domain/knowledge.js';

export const HOST_API_VERSION = '1.0.0';

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

/** Raw RFC 5322 messages delivered to a development mailbox, used when no SMTP server is configured. */
export interface DevMailboxPort {
  deliver(message: { from: string; to: string; subject: string; raw: string; html?: string; text?: string; messageId: string }): Promise<void>;
}

export interface HostV1 {
  /** Semver of the host contract this host implements. */
  readonly apiVersion: string;
  /** The host's knex instance; the plugin's tables live beside the host's, prefixed `selfreg_`. */
  readonly database: Knex;
  readonly users: UsersPort;
  readonly enrolments: EnrolmentsPort;
  readonly catalogue: CataloguePort;
  readonly portal: PortalPort;
  readonly access: AccessControlPort;
  readonly credentials: CredentialsPort;
  readonly seats: SeatsPort;
  readonly events: EventsPort;
  readonly panels: PanelsPort;
  readonly http: HttpPort;
  readonly logger: LoggerPort;
  readonly clock: ClockPort;
  /** Optional: where mail goes when the plugin has no SMTP_URL. */
  readonly devMailbox?: DevMailboxPort;
}

/** Configuration a host passes with `register`; keys and defaults are listed in plugin/manifest.json. */
export interface PluginOptions {
  /** At least 32 characters; keys the code digests, code encryption and CSRF tokens. */
  readonly secret: string;
  /** smtp:// or smtps:// URL; when absent mail goes to host.devMailbox. */
  readonly smtpUrl?: string;
  /** From address of the plugin's mail. */
  readonly mailFrom?: string;
  /** How often the outbox worker looks for due mail, in ms. */
  readonly outboxPollMs?: number;
}
