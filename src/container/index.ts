import { Container } from 'inversify';
import type { HostV1, PluginOptions } from '../contract/index.js';
import type { Manifest } from '../manifest/manifest.js';
import { hostModule } from './host.module.js';
import { infrastructureModule } from './infrastructure.module.js';
import { hooksModule, panelsModule } from './lifecycle.module.js';
import { tokensModule } from './tokens.module.js';
import { mailModule } from './mail.module.js';
import { registrationModule } from './registration.module.js';
import { brandingModule } from './branding.module.js';

/**
 * The composition root: one ContainerModule per feature. start() starts the Lifecycle contributions
 * in binding order (hooks, panels, token routes, mail, registration) and stop() in reverse.
 */
export function buildContainer(host: HostV1, options: PluginOptions, manifest: Manifest): Container {
  const container = new Container();
  container.load(hostModule(host, options, manifest), infrastructureModule, hooksModule, panelsModule, tokensModule, mailModule, registrationModule, brandingModule);
  return container;
}
