import type { Container } from 'inversify';
import type { HostV1, PluginOptions } from './contract/index.js';
import { buildContainer } from './container/index.js';
import { Lifecycle } from './container/lifecycle.js';
import { permissionProblems } from './container/manifest-agreement.js';
import { checkHost, readManifest, type Manifest } from './manifest/manifest.js';
import { describeFeaturesOff, Features, resolveFeatures, type FeatureStatus } from './manifest/features.js';
import { configurationProblems, describeOptionProblem, optionProblems, resolveOptions } from './manifest/options.js';
import { PLUGIN_ROOT } from './adapters/views.js';

export { HOST_API_VERSION } from './contract/index.js';
export type * from './contract/index.js';
export { migrate } from './container/migrations.js';

/** Thrown by register() when the host or the options cannot work; the message lists every reason. */
export class PluginLoadError extends Error {
  constructor(readonly problems: string[]) {
    super(`The self-registration plugin cannot load:\n  - ${problems.join('\n  - ')}`);
    this.name = 'PluginLoadError';
  }
}

export interface SelfRegistrationPlugin {
  readonly manifest: Manifest;
  /** Migrates, subscribes hooks, registers panels, mounts routers, starts the declared workers. */
  start(): Promise<void>;
  /** Idempotent: stops the workers, unmounts, unregisters, unsubscribes (the start phases in reverse). */
  stop(): Promise<void>;
  /** Each feature of the manifest's `features` and whether this host can run it (with the reasons when not). */
  readonly features: readonly FeatureStatus[];
  /** The composition root, for tests and diagnostics. */
  readonly container: Container;
}

/** One sentence per option value the manifest's rules refuse (defaults applied to absent keys). */
export function validateOptions(options: PluginOptions | undefined, manifest: Manifest = readManifest(PLUGIN_ROOT)): string[] {
  return optionProblems(manifest, options).map((p) => p.message);
}

/**
 * The only entry a host calls. Synchronous and without I/O: it validates the manifest, checks the
 * host's API version and ports, validates every option against the manifest's configuration, and
 * builds the container. Throws PluginLoadError naming every problem.
 */
export function register(host: HostV1, options: PluginOptions, manifest: Manifest = readManifest(PLUGIN_ROOT)): SelfRegistrationPlugin {
  const problems = [
    ...checkHost(manifest, host),
    ...configurationProblems(manifest),
    ...permissionProblems(manifest),
    ...optionProblems(manifest, options).map(describeOptionProblem),
  ];
  if (problems.length > 0) throw new PluginLoadError(problems);
  const features = new Features(resolveFeatures(manifest, host));
  // Told at load: what a host on an older minor contract, or without an optional part, goes without.
  for (const line of describeFeaturesOff(features.list())) host.logger.warn(line);
  const container = buildContainer(host, options, manifest, resolveOptions(manifest, options), features);
  const lifecycle = new Lifecycle(container);
  let state: 'registered' | 'starting' | 'started' | 'stopping' = 'registered';

  return {
    manifest,
    features: features.list(),
    container,
    async start() {
      if (state !== 'registered') throw new Error(`start() called while ${state}`);
      state = 'starting';
      try {
        await lifecycle.start();
        state = 'started';
      } catch (e) {
        state = 'registered';
        throw e;
      }
      host.logger.info(`${manifest.name} ${manifest.version} started`);
    },
    async stop() {
      if (state !== 'started') return;
      state = 'stopping';
      await lifecycle.stop();
      state = 'registered';
    },
  };
}
