import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import type { EnrolmentsPort } from '../../domain/ports/enrolments.port.js';
import type { PasswordsPort } from '../../domain/ports/passwords.port.js';
import type { PortalPort } from '../../domain/ports/portal.port.js';
import type { SeatsPort } from '../../domain/ports/seats.port.js';
import type { UsersPort } from '../../domain/ports/users.port.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { LinkPathsPort } from '../../domain/ports/link-paths.port.js';
import type { LoggerPort } from '../../domain/ports/logger.port.js';
import type { RandomSource } from '../../domain/ports/random.port.js';
import type { RateLimitPort } from '../../domain/ports/rate-limit.port.js';
import type { EmailLinkRepository } from '../../domain/ports/email-link-repository.port.js';
import type { EnrolmentListener } from '../../domain/ports/enrolment-listener.port.js';
import type { OutboxPort } from '../../domain/ports/outbox.port.js';
import type { RegistrationRepository } from '../../domain/ports/registration-repository.port.js';
import type { RegistrationWrites } from '../../domain/ports/registration-writes.port.js';
import type { SecretHasher } from '../../domain/ports/secret-hasher.port.js';
import type { SettingsRepository } from '../../domain/ports/settings-repository.port.js';
import type { TokenRepository } from '../../domain/ports/token-repository.port.js';
import type { UnitOfWork } from '../../domain/ports/unit-of-work.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import { ChangeSignal, type CacheSettings, type Millis } from '../shared/read-cache.js';
import { AbuseLimits } from './abuse-limits.js';
import { AcceptInvitationUseCase } from './accept-invitation.use-case.js';
import { AnswerPacing } from './answer-pacing.js';
import { ConfirmSignInLinkUseCase } from './confirm-sign-in-link.use-case.js';
import { CountAttemptUseCase } from './count-attempt.use-case.js';
import { EmailLinkLookup } from './email-link-lookup.js';
import { EmailedLinks } from './emailed-links.js';
import { EnrolSignedInUseCase } from './enrol-signed-in.use-case.js';
import { EnrolmentRecorder } from './enrolment-recorder.js';
import { InspectEmailedLinkQuery } from './inspect-emailed-link.query.js';
import { EmailLinkCompletion } from './link-completion.js';
import { OpenDeepLinkQuery } from './open-deep-link.query.js';
import { OpenOneClickEnrolmentQuery } from './open-one-click-enrolment.query.js';
import { PublicConfigReader } from './public-config.js';
import { RegisterUseCase } from './register.use-case.js';
import type { RegistrationRules } from '../rules/registration-rules.js';
import { RegistrationOpenQuery } from './registration-open.query.js';
import type { SeatAlerts } from './seat-alerts.js';
import { SequentialRegistrationWrites } from './sequential-registration-writes.js';
import { SignedInEnrolment } from './signed-in-enrolment.js';
import { TokenLookup } from './token-lookup.js';

/** What the registration use cases need from the world. */
export interface RegistrationPorts {
  readonly uow: UnitOfWork;
  readonly tokens: TokenRepository;
  readonly registrations: RegistrationRepository;
  readonly links: EmailLinkRepository;
  readonly outbox: OutboxPort;
  readonly settings: SettingsRepository;
  readonly users: UsersPort;
  readonly enrolments: EnrolmentsPort;
  readonly catalogue: CataloguePort;
  readonly portal: PortalPort;
  readonly seats: SeatsPort;
  readonly passwords: PasswordsPort;
  readonly random: RandomSource;
  readonly hasher: SecretHasher;
  readonly clock: ClockPort;
  readonly logger: LoggerPort;
  /** Where the emailed links point (the manifest's paths). */
  readonly linkPaths: LinkPathsPort;
  /** Told of each external enrolment inside its transaction (admin notifications). */
  readonly enrolmentListeners?: readonly EnrolmentListener[];
  /** The registration's own rows in one write; absent: one call per port (SequentialRegistrationWrites). */
  readonly writes?: RegistrationWrites;
  /** Raises the webhook events of an activation (absent: none). */
  readonly webhookNotices?: { activated(userId: string, tx: Tx): Promise<void> } | null;
  /** Shared abuse limits; absent: no limits (unit tests). */
  readonly limits?: RateLimitPort;
  /** Told when a registrant is turned away for lack of seats (the daily Super admin alert). */
  readonly seatAlerts?: SeatAlerts;
  /** The enrolment rules' part of each new registration; absent: the token's item only. */
  readonly rules?: RegistrationRules;
  /** Bumped by writes to settings and tokens; drops the read caches. */
  readonly signal?: ChangeSignal;
  /** How long token lookups, the portal switch and the public base URL are cached (0: never). */
  readonly cacheMs?: number;
  /** A monotonic clock in ms (caches, and the timing of answers). */
  readonly millis?: Millis;
  /** Waits `ms` (a timer, not work): known emails' answers are held back to a new account's pace. */
  readonly pause?: (ms: number) => Promise<void>;
}

/** The public side of registration, one use case per operation. */
export interface RegistrationUseCases {
  readonly registrationOpen: RegistrationOpenQuery;
  readonly openDeepLink: OpenDeepLinkQuery;
  readonly openOneClickEnrolment: OpenOneClickEnrolmentQuery;
  readonly countAttempt: CountAttemptUseCase;
  readonly register: RegisterUseCase;
  readonly enrolSignedIn: EnrolSignedInUseCase;
  readonly inspectEmailedLink: InspectEmailedLinkQuery;
  readonly acceptInvitation: AcceptInvitationUseCase;
  readonly confirmSignInLink: ConfirmSignInLinkUseCase;
}

/**
 * Builds the registration use cases around one set of shared collaborators — one token-lookup and
 * config cache, one set of abuse limits, one answer pacing — so that every page sees the same
 * caches and counts. The container binds each use case from this; unit tests build it on fakes.
 */
export function registrationUseCases(p: RegistrationPorts): RegistrationUseCases {
  const millis = p.millis ?? (() => Date.now());
  const caching: CacheSettings = { signal: p.signal ?? new ChangeSignal(), cacheMs: p.cacheMs ?? 0, millis };
  const config = new PublicConfigReader(p.settings, p.portal, caching);
  const lookup = new TokenLookup(p.tokens, p.catalogue, caching);
  const limits = new AbuseLimits(p.limits, millis);
  const recorder = new EnrolmentRecorder(p.registrations, p.enrolmentListeners ?? []);
  const signedInEnrolment = new SignedInEnrolment({ uow: p.uow, tokens: p.tokens, enrolments: p.enrolments, clock: p.clock, lookup, recorder, ...(p.rules && { rules: p.rules }) });
  const linkLookup = new EmailLinkLookup(p.links, p.hasher);
  const completion = new EmailLinkCompletion({
    uow: p.uow, clock: p.clock, linkLookup, links: p.links, users: p.users, catalogue: p.catalogue, enrolments: p.enrolments, tokens: p.tokens, recorder, ...(p.rules && { rules: p.rules }),
  });
  const openDeepLink = new OpenDeepLinkQuery({ config, lookup, limits, clock: p.clock });
  return {
    registrationOpen: new RegistrationOpenQuery(config),
    openDeepLink,
    openOneClickEnrolment: new OpenOneClickEnrolmentQuery(openDeepLink, lookup, p.enrolments),
    countAttempt: new CountAttemptUseCase(limits),
    register: new RegisterUseCase({
      uow: p.uow, tokens: p.tokens, links: p.links, users: p.users, enrolments: p.enrolments, seats: p.seats, clock: p.clock, logger: p.logger,
      config, lookup, limits, recorder, signedInEnrolment,
      writes: p.writes ?? new SequentialRegistrationWrites(p.tokens, p.registrations, p.links, p.outbox),
      pacing: new AnswerPacing(millis, p.pause),
      emailedLinks: new EmailedLinks({ links: p.links, outbox: p.outbox, random: p.random, hasher: p.hasher, linkPaths: p.linkPaths }),
      ...(p.seatAlerts && { seatAlerts: p.seatAlerts }),
      ...(p.rules && { rules: p.rules }),
    }),
    enrolSignedIn: new EnrolSignedInUseCase({ config, limits, lookup, enrolment: signedInEnrolment }),
    inspectEmailedLink: new InspectEmailedLinkQuery({ linkLookup, users: p.users, catalogue: p.catalogue, clock: p.clock, tokens: p.tokens, enrolments: p.enrolments }),
    acceptInvitation: new AcceptInvitationUseCase(completion, p.passwords, p.registrations, p.webhookNotices),
    confirmSignInLink: new ConfirmSignInLinkUseCase(completion),
  };
}
