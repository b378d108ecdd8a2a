import { ContainerModule } from 'inversify';
import type { HostV1, PluginOptions } from '../contract/index.js';
import type { Manifest } from '../manifest/manifest.js';
import type { ResolvedOptions } from '../manifest/options.js';
import { TYPES } from '../types.js';
import { Routes } from '../manifest/routes.js';
import { Permissions } from '../manifest/permissions.js';
import type { Features } from '../manifest/features.js';
import { bindHostPorts } from '../adapters/host/host-ports.js';

/**
 * The host's ports (through the host adapter, the one place that reads the host object), the options
 * as given and as resolved at register(), and what the manifest declares.
 */
export const hostModule = (host: HostV1, options: PluginOptions, manifest: Manifest, resolved: ResolvedOptions, features: Features) =>
  new ContainerModule(({ bind }) => {
    bindHostPorts(bind, host);
    bind(TYPES.Options).toConstantValue(options);
    bind<ResolvedOptions>(TYPES.ResolvedOptions).toConstantValue(resolved);
    bind(TYPES.Manifest).toConstantValue(manifest);
    bind(TYPES.Routes).toConstantValue(new Routes(manifest));
    bind(TYPES.Permissions).toConstantValue(new Permissions(manifest));
    bind(TYPES.Features).toConstantValue(features);
  });
