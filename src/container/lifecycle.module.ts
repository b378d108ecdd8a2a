import { ContainerModule } from 'inversify';
import { TYPES, type LifecycleCheck, type LifecycleContribution, type LifecyclePhase, type WorkerContribution } from '../types.js';
import { ManifestRoutes } from '../adapters/http/manifest-routes.js';
import { ManifestPanels } from '../adapters/http/panels/manifest-panels.js';
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
