import { ContainerModule } from 'inversify';
import { TYPES, type LifecycleContribution } from './types.js';
import { ManifestRoutes } from '../adapters/http/manifest-routes.js';
import { ManifestPanels } from '../adapters/http/panels/manifest-panels.js';
import { HostEventHooks } from '../hooks/host-events.hooks.js';

/** Host events the manifest's hooks subscribe to; subscribed first at start(), unsubscribed last. */
export const hooksModule = new ContainerModule(({ bind }) => {
  bind(HostEventHooks).toSelf().inSingletonScope();
  bind<LifecycleContribution>(TYPES.Lifecycle).toService(HostEventHooks);
});

/**
 * The settings panels and the routers, registered and mounted exactly as the manifest declares them,
 * each composed of the contributions bound for it (SettingsPanel, RouteContribution).
 */
export const panelsModule = new ContainerModule(({ bind }) => {
  bind(ManifestPanels).toSelf().inSingletonScope();
  bind<LifecycleContribution>(TYPES.Lifecycle).toService(ManifestPanels);
  bind(ManifestRoutes).toSelf().inSingletonScope();
  bind<LifecycleContribution>(TYPES.Lifecycle).toService(ManifestRoutes);
});
