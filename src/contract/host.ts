/*
 * Host contract v1: everything a host LMS hands the plugin in `register(host, options)`.
 * docs/host-contract.md explains each port; this folder is the type-checked form of it.
 */
import type { Knex } from 'knex';
import type { CataloguePort, ClockPort, DevMailboxPort, EnrolmentsPort, LoggerPort, PortalPort, SeatsPort, UsersPort } from './ports.js';
import type { EventsPort } from './events.js';
import type { AccessControlPort, CredentialsPort, HttpPort, PanelsPort } from './http.js';
import type { ReportsPort } from './reporting.js';
import type { AdminMenuPort, LayoutPort } from './layout.js';

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
  /**
   * Optional (1.1): the host's item reports take the plugin's columns and filters, and the host raises
   * the learning events (`user.signed_in`, `learning.*`). Without it the plugin's reports show
   * registrations and activations only.
   */
  readonly reports?: ReportsPort;
  /** Optional (1.1): frames the plugin's admin pages in the host's layout. Without it they stand alone. */
  readonly layout?: LayoutPort;
  /** Optional (1.1): lists the plugin's admin pages (the manifest's `menu`) in the host's admin menu. */
  readonly adminMenu?: AdminMenuPort;
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
  /** Codes matching no token, per visitor address, default `10/1h`; graduated: from the N-th miss the address pauses (not looked up at all) a step longer after each miss. */
  readonly rateLimitUnknownCode?: string;
  /** `public` (default): webhooks only to https:// public addresses; `loopback`, development only: also http(s) to this machine. */
  readonly webhookNetwork?: 'public' | 'loopback';
  /** First retry of a webhook delivery after about this long, default 30 s (doubling, at most 6 h). */
  readonly webhookRetryBaseMs?: number;
  /** How long a webhook delivery is retried, default 3 days. */
  readonly webhookRetryWindowMs?: number;
  /** Longest a webhook try may take, default 10 s. */
  readonly webhookTimeoutMs?: number;
  /** Webhook deliveries on the wire at once per instance, default 10. */
  readonly webhookConcurrency?: number;
}
