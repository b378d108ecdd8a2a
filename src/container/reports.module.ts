import { ContainerModule, type ServiceIdentifier } from 'inversify';
import { TYPES, type LifecycleContribution, type WorkerContribution } from '../types.js';
import { KnexRegistrationReport } from '../adapters/persistence/reports/registration-report.store.js';
import { KnexUsageReport } from '../adapters/persistence/reports/usage-report.store.js';
import { KnexLearningStore } from '../adapters/persistence/reports/learning.store.js';
import { KnexRegistrantSnapshot } from '../adapters/persistence/reports/registrant-snapshot.store.js';
import { BufferedLinkViews } from '../adapters/persistence/reports/link-views.store.js';
import { KnexUsageRollup } from '../adapters/persistence/reports/usage-rollup.store.js';
import { ReportCountersWorker } from '../adapters/persistence/reports/report-counters.worker.js';
import { CatchUpUsageUseCase } from '../application/reports/catch-up-usage.use-case.js';
import type { LoggerPort } from '../domain/ports/logger.port.js';
import { ReportAccess } from '../application/reports/report-access.js';
import { RegistrationsReportQuery } from '../application/reports/registrations-report.query.js';
import { ExportRegistrationsQuery } from '../application/reports/export-registrations.query.js';
import { UsageReportQuery } from '../application/reports/usage-report.query.js';
import { ExportUsageQuery } from '../application/reports/export-usage.query.js';
import { RecordLearningUseCase } from '../application/reports/record-learning.use-case.js';
import { RecordDeepLinkViewUseCase } from '../application/reports/record-deep-link-view.use-case.js';
import { RefreshRegistrantUseCase } from '../application/reports/refresh-registrant.use-case.js';
import { ItemReportColumns } from '../application/reports/item-report-columns.js';
import type { RouteContribution } from '../adapters/http/shared/route-contribution.js';
import { ReportExports } from '../adapters/http/shared/report-export.js';
import { RegistrationsReportController } from '../adapters/http/admin/registrations-report.controller.js';
import { UsageReportController } from '../adapters/http/admin/usage-report.controller.js';
import { ItemReportContribution } from '../adapters/http/admin/item-report-contribution.js';
import { ReportsResource } from '../adapters/http/api/reports.resource.js';
import { ReportHooks } from '../hooks/report.hooks.js';
import { CampaignSeal } from '../adapters/crypto/campaign-seal.js';
import type { HookHandlers } from '../hooks/hook-types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Newable<T = unknown> = new (...args: any[]) => T;
type Use = <T>(id: ServiceIdentifier<T>, make: (...deps: never[]) => T, deps: ServiceIdentifier[]) => void;

/**
 * Reports: the registrations and token usage reports (admin pages, CSV exports, the API), the
 * learning steps and account changes they hear from the host, the deep-link view counter and the usage totals (worker
 * `report-counters`), and the columns contributed to a 1.1 host's item reports (phase `panels`).
 * The admin pages and API resources are mounted after token management's gates.
 */
export const reportsModule = new ContainerModule(({ bind }) => {
  const use: Use = (id, make, deps) => bind(id).toResolvedValue(make as never, deps as never).inSingletonScope();

  bind(TYPES.RegistrationReport).to(KnexRegistrationReport).inSingletonScope();
  bind(TYPES.UsageReport).to(KnexUsageReport).inSingletonScope();
  bind(TYPES.LearningStore).to(KnexLearningStore).inSingletonScope();
  bind(TYPES.RegistrantSnapshots).to(KnexRegistrantSnapshot).inSingletonScope();
  bind(BufferedLinkViews).toSelf().inSingletonScope();
  bind(TYPES.LinkViews).toService(BufferedLinkViews);
  bind(TYPES.UsageRollup).to(KnexUsageRollup).inSingletonScope();
  use(TYPES.CatchUpUsageUseCase, (v, r, portal) => new CatchUpUsageUseCase(v, r, portal), [TYPES.LinkViews, TYPES.UsageRollup, TYPES.PortalFacts]);
  bind<WorkerContribution>(TYPES.Worker)
    .toResolvedValue((catchUp: CatchUpUsageUseCase, logger: LoggerPort) => ({ id: 'report-counters', worker: new ReportCountersWorker(catchUp, logger) }), [TYPES.CatchUpUsageUseCase, TYPES.Logger])
    .inSingletonScope();

  use(ReportAccess, (p, portal, features) => new ReportAccess(p, portal, features), [TYPES.Permissions, TYPES.PortalFacts, TYPES.Features]);
  use(TYPES.RegistrationsReportQuery, (a, s) => new RegistrationsReportQuery(a, s), [ReportAccess, TYPES.RegistrationReport]);
  use(TYPES.ExportRegistrationsQuery, (a, s) => new ExportRegistrationsQuery(a, s), [ReportAccess, TYPES.RegistrationReport]);
  use(TYPES.UsageReportQuery, (a, s, v) => new UsageReportQuery(a, s, v), [ReportAccess, TYPES.UsageReport, TYPES.CatchUpUsageUseCase]);
  use(TYPES.ExportUsageQuery, (a, s, v) => new ExportUsageQuery(a, s, v), [ReportAccess, TYPES.UsageReport, TYPES.CatchUpUsageUseCase]);
  use(TYPES.RecordLearningUseCase, (s, notices) => new RecordLearningUseCase(s, notices), [TYPES.LearningStore, TYPES.WebhookNotices]);
  use(TYPES.RecordDeepLinkViewUseCase, (v, portal, clock) => new RecordDeepLinkViewUseCase(v, portal, clock), [TYPES.LinkViews, TYPES.PortalFacts, TYPES.Clock]);
  use(TYPES.RefreshRegistrantUseCase, (s) => new RefreshRegistrantUseCase(s), [TYPES.RegistrantSnapshots]);
  use(TYPES.ItemReportColumns, (tokens, regs) => new ItemReportColumns(tokens, regs), [TYPES.TokenAdminRepository, TYPES.RegistrationReport]);

  bind(ReportHooks).toSelf().inSingletonScope();
  bind<HookHandlers>(TYPES.HookHandlers).toService(ReportHooks);
  bind(ItemReportContribution).toSelf().inSingletonScope();
  bind<LifecycleContribution>(TYPES.Lifecycle).toService(ItemReportContribution);

  bind(CampaignSeal).toSelf().inSingletonScope();
  bind(ReportExports).toSelf().inSingletonScope();
  for (const c of [RegistrationsReportController, UsageReportController, ReportsResource] as Newable<RouteContribution>[]) {
    bind(c).toSelf().inSingletonScope();
    bind<RouteContribution>(TYPES.RouteContribution).toService(c);
  }
});
