import { Container } from 'inversify';
import type { HostV1, PluginOptions } from '../contract/index.js';
import type { Manifest } from '../manifest/manifest.js';
import { resolveOptions, type ResolvedOptions } from '../manifest/options.js';
import { Features, resolveFeatures } from '../manifest/features.js';
import { hostModule } from './host.module.js';
import { infrastructureModule } from './infrastructure.module.js';
import { hooksModule, lifecycleModule, panelsModule, workersModule } from './lifecycle.module.js';
import { tokensModule } from './tokens.module.js';
import { tokenBulkModule } from './token-bulk.module.js';
import { mailModule } from './mail.module.js';
import { registrationModule } from './registration.module.js';
import { brandingModule } from './branding.module.js';
import { reportsModule } from './reports.module.js';
import { lifecycleDataModule } from './lifecycle-data.module.js';
import { webhooksModule } from './webhooks.module.js';
import { rulesModule } from './rules.module.js';

/**
 * The composition root: one ContainerModule per feature. start() runs the Lifecycle contributions
 * phase by phase (migrate → hooks → panels → routes → workers; see ./lifecycle.ts), stop() in reverse.
 */
export function buildContainer(
  host: HostV1, options: PluginOptions, manifest: Manifest, resolved: ResolvedOptions = resolveOptions(manifest, options),
  features: Features = new Features(resolveFeatures(manifest, host)),
): Container {
  const container = new Container();
  container.load(
    hostModule(host, options, manifest, resolved, features), infrastructureModule, lifecycleModule, hooksModule, panelsModule, workersModule,
    tokensModule, tokenBulkModule, mailModule, registrationModule, brandingModule, reportsModule, lifecycleDataModule, webhooksModule, rulesModule,
  );
  return container;
}
