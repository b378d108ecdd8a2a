/*
 * Host contract v1: everything a host LMS hands the plugin in `register(host)`.
 * docs/host-contract.md explains each port; this file is the type-checked form of it.
 */
import type { Knex } from 'knex';
import type { Request, Response, Router } from 'express';
import type { HostUser } from './domain/user.js';
import type { KnowledgeItem, KnowledgeRef } from './domain/knowledge.js';
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
  /** Tries before a message the SMTP server keeps refusing for now (4xx) is parked as failed (default 10). */
  readonly mailMaxAttempts?: number;
  /** The first retry of a message waits about this long, each next one twice as long (default 30000 ms). */
  readonly mailRetryBaseMs?: number;
  /** Longest wait between tries while no SMTP server can be reached (default 300000 ms). */
  readonly mailOutageRetryMaxMs?: number;
  /** Parallel SMTP connections of the pooled transport (default 5). */
  readonly smtpMaxConnections?: number;
  /** Local hour (0–23, portal time zone) on the next day at which a day's admin digests go out (default 7). */
  readonly digestHour?: number;
  /** How often due digests are looked for, in ms (default 60000). */
  readonly digestCheckMs?: number;
  /**
   * Abuse limits of the public pages, each `attempts/window` (`30/10m`, `5/1h`, `100/1d`) or `off`,
   * counted in the database so every instance shares them. Per visitor address (`req.ip`: set the
   * host app's `trust proxy` when behind a proxy), default `30/10m`.
   */
  readonly rateLimitIp?: string;
  /** Registrations per email address, default `5/1h`. */
  readonly rateLimitEmail?: string;
  /** Registrations per token, default `100/10m`. */
  readonly rateLimitToken?: string;
  /** Codes matching no token, per visitor address, default `10/1h`; over it, codes are not looked up at all. */
  readonly rateLimitUnknownCode?: string;
}
