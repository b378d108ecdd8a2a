import { ContainerModule } from 'inversify';
import { TYPES, type LifecycleCheck, type LifecycleContribution, type LifecyclePhase, type WorkerContribution } from '../types.js';
import { ManifestRoutes } from '../adapters/http/manifest-routes.js';
import { ManifestPanels } from '../adapters/http/panels/manifest-panels.js';
import { CleanUpDeletedItemUseCase } from '../application/tokens/clean-up-deleted-item.use-case.js';
import { RevokeEmailedLinksUseCase } from '../application/registration/revoke-emailed-links.use-case.js';
import type { UnitOfWork } from '../domain/ports/unit-of-work.port.js';
import type { TokenAdminRepository } from '../domain/ports/token-admin-repository.port.js';
import type { AuditRepository } from '../domain/ports/audit-repository.port.js';
import type { NotificationSettingsRepository } from '../domain/ports/notification-settings-repository.port.js';
import type { EmailLinkRepository } from '../domain/ports/email-link-repository.port.js';
import type { ClockPort } from '../domain/ports/clock.port.js';
import type { LoggerPort } from '../domain/ports/logger.port.js';
import { HostEventHooks } from '../hooks/host-events.hooks.js';
import { HookRegistry } from '../hooks/hook-registry.js';
import type { HookHandlers } from '../hooks/hook-types.js';
import type { MountLedger } from '../adapters/host/mount-ledger.js';
import type { Manifest } from '../manifest/manifest.js';
import type { OutboxWorker } from '../adapters/mail/outbox.worker.js';
import type { NotificationScheduler } from '../adapters/mail/notification.scheduler.js';
import { Migrations } from './migrations.js';
import { ManifestWorkers } from './manifest-workers.js';
import { mountProblems } from './manifest-agreement.js';
import { AdminMenu } from '../adapters/http/admin/admin-menu.js';

/** A contribution started in `phase` (for classes that do not name their phase themselves). */
const inPhase = (phase: LifecyclePhase, c: LifecycleContribution): LifecycleContribution => ({ phase, start: () => c.start(), stop: () => c.stop() });

/** The migrate phase, and the check that what the routes phase mounted is what the manifest declares. */
export const lifecycleModule = new ContainerModule(({ bind }) => {
  bind(Migrations).toSelf().inSingletonScope();
  bind<LifecycleContribution>(TYPES.Lifecycle).toService(Migrations);
  bind<LifecycleCheck>(TYPES.LifecycleCheck)
    .toResolvedValue(
      (http: MountLedger, manifest: Manifest): LifecycleCheck => ({
        after: 'routes',
        check() {
          const problems = mountProblems(manifest, http.mounts());
          if (problems.length > 0) throw new Error(`Routes and manifest disagree: ${problems.join(' ')}`);
        },
      }),
      [TYPES.Http, TYPES.Manifest],
    )
    .inSingletonScope();
});

/** The manifest's hooks, mapped to the methods of the hook handler classes (phase `hooks`). */
export const hooksModule = new ContainerModule(({ bind }) => {
  bind(TYPES.CleanUpDeletedItemUseCase)
    .toResolvedValue(
      (uow: UnitOfWork, tokens: TokenAdminRepository, audit: AuditRepository, settings: NotificationSettingsRepository, clock: ClockPort, logger: LoggerPort) =>
        new CleanUpDeletedItemUseCase(uow, tokens, audit, settings, clock, logger),
      [TYPES.UnitOfWork, TYPES.TokenAdminRepository, TYPES.AuditRepository, TYPES.NotificationSettingsRepository, TYPES.Clock, TYPES.Logger],
    )
    .inSingletonScope();
  bind(TYPES.RevokeEmailedLinksUseCase)
    .toResolvedValue((links: EmailLinkRepository) => new RevokeEmailedLinksUseCase(links), [TYPES.EmailLinkRepository])
    .inSingletonScope();
  bind(HostEventHooks).toSelf().inSingletonScope();
  bind<HookHandlers>(TYPES.HookHandlers).toService(HostEventHooks);
  bind(HookRegistry).toSelf().inSingletonScope();
  bind<LifecycleContribution>(TYPES.Lifecycle).toService(HookRegistry);
});

/**
 * The settings panels (phase `panels`) and the routers (phase `routes`), registered and mounted
 * exactly as the manifest declares them, each composed of the contributions bound for it
 * (SettingsPanel, RouteContribution).
 */
export const panelsModule = new ContainerModule(({ bind }) => {
  bind(ManifestPanels).toSelf().inSingletonScope();
  bind<LifecycleContribution>(TYPES.Lifecycle)
    .toResolvedValue((panels: ManifestPanels) => inPhase('panels', panels), [ManifestPanels])
    .inSingletonScope();
  // The manifest's admin menu entries, on a host that has a menu (contract 1.1).
  bind(AdminMenu).toSelf().inSingletonScope();
  bind<LifecycleContribution>(TYPES.Lifecycle).toService(AdminMenu);
  bind(ManifestRoutes).toSelf().inSingletonScope();
  bind<LifecycleContribution>(TYPES.Lifecycle).toService(ManifestRoutes);
});

/**
 * The background workers the manifest declares (`workers`), started last and stopped first:
 * the outbox worker and the digest scheduler.
 */
export const workersModule = new ContainerModule(({ bind }) => {
  bind(ManifestWorkers).toSelf().inSingletonScope();
  bind<LifecycleContribution>(TYPES.Lifecycle).toService(ManifestWorkers);
  bind<WorkerContribution>(TYPES.Worker)
    .toResolvedValue((worker: OutboxWorker) => ({ id: 'outbox', worker }), [TYPES.OutboxWorker])
    .inSingletonScope();
  bind<WorkerContribution>(TYPES.Worker)
    .toResolvedValue((worker: NotificationScheduler) => ({ id: 'digest-scheduler', worker }), [TYPES.NotificationScheduler])
    .inSingletonScope();
});
