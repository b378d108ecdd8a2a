/** Inversify service identifiers: one Symbol per port or service, in one place. */
export const TYPES = {
  // Host ports, bound from the host object by the host adapter (src/adapters/host/host-ports.ts) only
  /** The host's ports as read once by the host adapter (src/adapters/host/host-ports.ts). */
  HostPorts: Symbol.for('selfreg.HostPorts'),
  Database: Symbol.for('selfreg.Database'),
  Users: Symbol.for('selfreg.Users'),
  Enrolments: Symbol.for('selfreg.Enrolments'),
  Catalogue: Symbol.for('selfreg.Catalogue'),
  Portal: Symbol.for('selfreg.Portal'),
  Access: Symbol.for('selfreg.Access'),
  Credentials: Symbol.for('selfreg.Credentials'),
  Seats: Symbol.for('selfreg.Seats'),
  Events: Symbol.for('selfreg.Events'),
  Panels: Symbol.for('selfreg.Panels'),
  Http: Symbol.for('selfreg.Http'),
  Logger: Symbol.for('selfreg.Logger'),
  Clock: Symbol.for('selfreg.Clock'),
  DevMailbox: Symbol.for('selfreg.DevMailbox'),
  /** Contract 1.1, optional (null when the host has none): the host's layout and admin menu. */
  Layout: Symbol.for('selfreg.Layout'),
  AdminMenu: Symbol.for('selfreg.AdminMenu'),
  // Plugin configuration
  Options: Symbol.for('selfreg.Options'),
  /** The options with the manifest's defaults applied, validated at register() (ResolvedOptions). */
  ResolvedOptions: Symbol.for('selfreg.ResolvedOptions'),
  Manifest: Symbol.for('selfreg.Manifest'),
  /** The manifest's routes (mount points, named paths) and permissions, read rather than restated. */
  Routes: Symbol.for('selfreg.Routes'),
  Permissions: Symbol.for('selfreg.Permissions'),
  /** The manifest's features as this host can run them (src/manifest/features.ts), decided at register(). */
  Features: Symbol.for('selfreg.Features'),
  /** The host adapter: portal facts read once per short interval, time zone already made safe (PortalFacts). */
  PortalFacts: Symbol.for('selfreg.PortalFacts'),
  // Plugin adapters
  UnitOfWork: Symbol.for('selfreg.UnitOfWork'),
  Random: Symbol.for('selfreg.Random'),
  SecretHasher: Symbol.for('selfreg.SecretHasher'),
  CodeProtector: Symbol.for('selfreg.CodeProtector'),
  Csrf: Symbol.for('selfreg.Csrf'),
  TokenRepository: Symbol.for('selfreg.TokenRepository'),
  RegistrationRepository: Symbol.for('selfreg.RegistrationRepository'),
  RegistrationWrites: Symbol.for('selfreg.RegistrationWrites'),
  EmailLinkRepository: Symbol.for('selfreg.EmailLinkRepository'),
  Outbox: Symbol.for('selfreg.Outbox'),
  OutboxStore: Symbol.for('selfreg.OutboxStore'),
  SettingsRepository: Symbol.for('selfreg.SettingsRepository'),
  Views: Symbol.for('selfreg.Views'),
  MailSender: Symbol.for('selfreg.MailSender'),
  OutboxWorker: Symbol.for('selfreg.OutboxWorker'),
  // Token management storage
  TokenAdminRepository: Symbol.for('selfreg.TokenAdminRepository'),
  AuditRepository: Symbol.for('selfreg.AuditRepository'),
  ApiKeyRepository: Symbol.for('selfreg.ApiKeyRepository'),
  TokenRegistrationQuery: Symbol.for('selfreg.TokenRegistrationQuery'),
  // Token management use cases (src/application/tokens, portal, api-keys)
  ItemTokensQuery: Symbol.for('selfreg.ItemTokensQuery'),
  GetTokenQuery: Symbol.for('selfreg.GetTokenQuery'),
  ListTokensQuery: Symbol.for('selfreg.ListTokensQuery'),
  CreateTokenUseCase: Symbol.for('selfreg.CreateTokenUseCase'),
  UpdateTokenUseCase: Symbol.for('selfreg.UpdateTokenUseCase'),
  SetTokenEnabledUseCase: Symbol.for('selfreg.SetTokenEnabledUseCase'),
  DeleteTokenUseCase: Symbol.for('selfreg.DeleteTokenUseCase'),
  AuditLogQuery: Symbol.for('selfreg.AuditLogQuery'),
  ItemTitlesQuery: Symbol.for('selfreg.ItemTitlesQuery'),
  /** What host events set off (the hooks call these). */
  CleanUpDeletedItemUseCase: Symbol.for('selfreg.CleanUpDeletedItemUseCase'),
  RevokeEmailedLinksUseCase: Symbol.for('selfreg.RevokeEmailedLinksUseCase'),
  /** Saves the registration page's branding (tests and tools reach it across module copies by this id). */
  SaveBranding: Symbol.for('selfreg.SaveBranding'),
  ListTokenRegistrationsQuery: Symbol.for('selfreg.ListTokenRegistrationsQuery'),
  PortalStatusQuery: Symbol.for('selfreg.PortalStatusQuery'),
  SwitchPortalUseCase: Symbol.for('selfreg.SwitchPortalUseCase'),
  ListApiKeysQuery: Symbol.for('selfreg.ListApiKeysQuery'),
  CreateApiKeyUseCase: Symbol.for('selfreg.CreateApiKeyUseCase'),
  RevokeApiKeyUseCase: Symbol.for('selfreg.RevokeApiKeyUseCase'),
  AuthenticateApiKeyUseCase: Symbol.for('selfreg.AuthenticateApiKeyUseCase'),
  // Tokens in bulk: CSV imports, batches of codes, exports
  TokenBulkRepository: Symbol.for('selfreg.TokenBulkRepository'),
  TokenBatchRepository: Symbol.for('selfreg.TokenBatchRepository'),
  TokenImportStore: Symbol.for('selfreg.TokenImportStore'),
  DryRunTokenImportUseCase: Symbol.for('selfreg.DryRunTokenImportUseCase'),
  ApplyTokenImportUseCase: Symbol.for('selfreg.ApplyTokenImportUseCase'),
  TokenImportResultsQuery: Symbol.for('selfreg.TokenImportResultsQuery'),
  CreateTokenBatchUseCase: Symbol.for('selfreg.CreateTokenBatchUseCase'),
  ChangeTokenBatchUseCase: Symbol.for('selfreg.ChangeTokenBatchUseCase'),
  TokenBatchCodesQuery: Symbol.for('selfreg.TokenBatchCodesQuery'),
  ExportTokensQuery: Symbol.for('selfreg.ExportTokensQuery'),
  ItemTokenListQuery: Symbol.for('selfreg.ItemTokenListQuery'),
  // Reports (src/application/reports): storage, use cases, the columns contributed to the host's item reports
  RegistrationReport: Symbol.for('selfreg.RegistrationReport'),
  UsageReport: Symbol.for('selfreg.UsageReport'),
  LearningStore: Symbol.for('selfreg.LearningStore'),
  LinkViews: Symbol.for('selfreg.LinkViews'),
  UsageRollup: Symbol.for('selfreg.UsageRollup'),
  CatchUpUsageUseCase: Symbol.for('selfreg.CatchUpUsageUseCase'),
  RegistrantSnapshots: Symbol.for('selfreg.RegistrantSnapshots'),
  RegistrationsReportQuery: Symbol.for('selfreg.RegistrationsReportQuery'),
  ExportRegistrationsQuery: Symbol.for('selfreg.ExportRegistrationsQuery'),
  UsageReportQuery: Symbol.for('selfreg.UsageReportQuery'),
  ExportUsageQuery: Symbol.for('selfreg.ExportUsageQuery'),
  RecordLearningUseCase: Symbol.for('selfreg.RecordLearningUseCase'),
  RecordDeepLinkViewUseCase: Symbol.for('selfreg.RecordDeepLinkViewUseCase'),
  RefreshRegistrantUseCase: Symbol.for('selfreg.RefreshRegistrantUseCase'),
  ItemReportColumns: Symbol.for('selfreg.ItemReportColumns'),
  // Enrolment rules and the self-enrolment quarantine (src/application/rules)
  EnrolmentRuleRepository: Symbol.for('selfreg.EnrolmentRuleRepository'),
  RulePersonFacts: Symbol.for('selfreg.RulePersonFacts'),
  RuleRuns: Symbol.for('selfreg.RuleRuns'),
  RuleTargets: Symbol.for('selfreg.RuleTargets'),
  RulesCache: Symbol.for('selfreg.RulesCache'),
  RuleBackfill: Symbol.for('selfreg.RuleBackfill'),
  RegistrationRules: Symbol.for('selfreg.RegistrationRules'),
  CreateRuleUseCase: Symbol.for('selfreg.CreateRuleUseCase'),
  UpdateRuleUseCase: Symbol.for('selfreg.UpdateRuleUseCase'),
  DeleteRuleUseCase: Symbol.for('selfreg.DeleteRuleUseCase'),
  ListRulesQuery: Symbol.for('selfreg.ListRulesQuery'),
  DryRunRuleQuery: Symbol.for('selfreg.DryRunRuleQuery'),
  ApplyRuleUseCase: Symbol.for('selfreg.ApplyRuleUseCase'),
  ReconcileUserRulesUseCase: Symbol.for('selfreg.ReconcileUserRulesUseCase'),
  RecordEnrolmentRemovalUseCase: Symbol.for('selfreg.RecordEnrolmentRemovalUseCase'),
  RemoveDeletedItemFromRulesUseCase: Symbol.for('selfreg.RemoveDeletedItemFromRulesUseCase'),
  CheckSelfEnrolQuery: Symbol.for('selfreg.CheckSelfEnrolQuery'),
  SelfEnrolmentWarningsQuery: Symbol.for('selfreg.SelfEnrolmentWarningsQuery'),
  RulesPanelQuery: Symbol.for('selfreg.RulesPanelQuery'),
  // Application services
  /** Multi-binding: listeners told of each external enrolment inside its transaction. */
  EnrolmentListener: Symbol.for('selfreg.EnrolmentListener'),
  // Mail delivery and admin notifications
  NotificationSettingsRepository: Symbol.for('selfreg.NotificationSettingsRepository'),
  DigestStore: Symbol.for('selfreg.DigestStore'),
  FormDrafts: Symbol.for('selfreg.FormDrafts'),
  NotificationScheduler: Symbol.for('selfreg.NotificationScheduler'),
  // Registration page
  RateLimiter: Symbol.for('selfreg.RateLimiter'),
  SeatAlertRepository: Symbol.for('selfreg.SeatAlertRepository'),
  SeatAlerts: Symbol.for('selfreg.SeatAlerts'),
  /** Bumped by writes to settings and tokens: drops the public pages' read caches. */
  ChangeSignal: Symbol.for('selfreg.ChangeSignal'),
  // Webhooks: endpoints, the delivery outbox and its worker
  WebhookOutbox: Symbol.for('selfreg.WebhookOutbox'),
  WebhookEndpoints: Symbol.for('selfreg.WebhookEndpoints'),
  WebhookSecretBox: Symbol.for('selfreg.WebhookSecretBox'),
  WebhookWorker: Symbol.for('selfreg.WebhookWorker'),
  WebhookUseCases: Symbol.for('selfreg.WebhookUseCases'),
  WebhookNotices: Symbol.for('selfreg.WebhookNotices'),
  // Lifecycle contributions: started in order by start(), stopped in reverse by stop()
  Lifecycle: Symbol.for('selfreg.Lifecycle'),
  /** Multi-binding: settings panels (SettingsPanel), each rendering one panel the manifest declares. */
  SettingsPanel: Symbol.for('selfreg.SettingsPanel'),
  /** Multi-binding: routes under a manifest route mount (RouteContribution), mounted by ManifestRoutes. */
  RouteContribution: Symbol.for('selfreg.RouteContribution'),
  /** Multi-binding: background workers (WorkerContribution), each one the manifest's `workers` declares. */
  Worker: Symbol.for('selfreg.Worker'),
  /** Multi-binding: holders of personal data (PersonalDataHolder), every one erased together when the host deletes or erases a person. */
  PersonalDataHolder: Symbol.for('selfreg.PersonalDataHolder'),
  ErasePersonUseCase: Symbol.for('selfreg.ErasePersonUseCase'),
  CopyClonedItemUseCase: Symbol.for('selfreg.CopyClonedItemUseCase'),
  TokenCopyStore: Symbol.for('selfreg.TokenCopyStore'),
  /** Multi-binding: hook handlers (HookHandlers), whose methods the manifest's `hooks` name. */
  HookHandlers: Symbol.for('selfreg.HookHandlers'),
  /** The sentence of a filter hook's veto, as the host shows it (contract 1.1 filters). */
  VetoWords: Symbol.for('selfreg.VetoWords'),
  /** Multi-binding: checks run once a lifecycle phase has started (LifecycleCheck). */
  LifecycleCheck: Symbol.for('selfreg.LifecycleCheck'),
} as const;

/**
 * The phases of start(), in order; stop() runs them in reverse. Within a phase, contributions start
 * in binding order.
 */
export const LIFECYCLE_PHASES = ['migrate', 'hooks', 'panels', 'routes', 'workers'] as const;
export type LifecyclePhase = (typeof LIFECYCLE_PHASES)[number];

/** Something start() starts and stop() stops (routers, panels, hooks, workers). */
export interface LifecycleContribution {
  /** When it starts; without one, in the `routes` phase. */
  readonly phase?: LifecyclePhase;
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
}

/** A background worker the manifest declares (`workers[].id`), started in the `workers` phase. */
export interface WorkerContribution {
  /** The manifest's worker id. */
  readonly id: string;
  readonly worker: LifecycleContribution;
}

/** Verifies, once `after` has started, that what the code did agrees with the manifest; throws naming what does not. */
export interface LifecycleCheck {
  readonly after: LifecyclePhase;
  check(): void;
}
