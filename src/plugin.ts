import path from 'node:path';
import type { Knex } from 'knex';
import type { Container } from 'inversify';
import type { HostV1, PluginOptions } from './contract/index.js';
import { buildContainer } from './container/index.js';
import { checkHost, readManifest, type Manifest } from './manifest/manifest.js';
import { TYPES, type LifecycleContribution } from './container/types.js';
import { PLUGIN_ROOT } from './adapters/views.js';
import type { OutboxWorker } from './adapters/mail/outbox.worker.js';
import { mailOptionProblems } from './adapters/mail/mail-options.js';

export { HOST_API_VERSION } from './contract/index.js';
export type * from './contract/index.js';

/** Thrown by register() when the host or the options cannot work; the message lists every reason. */
export class PluginLoadError extends Error {
  constructor(readonly problems: string[]) {
    super(`The self-registration plugin cannot load:\n  - ${problems.join('\n  - ')}`);
    this.name = 'PluginLoadError';
  }
}

export interface SelfRegistrationPlugin {
  readonly manifest: Manifest;
  /** Migrates, mounts routers, subscribes hooks, registers panels, starts the outbox worker. */
  start(): Promise<void>;
  /** Idempotent: unmounts, unsubscribes, unregisters, stops the worker and closes its transport. */
  stop(): Promise<void>;
  /** The composition root, for tests and diagnostics. */
  readonly container: Container;
}

export function validateOptions(options: PluginOptions | undefined): string[] {
  const problems: string[] = [];
  if (!options || typeof options.secret !== 'string' || options.secret.length < 32) {
    problems.push('options.secret (SELFREG_SECRET) must be at least 32 characters.');
  }
  if (options?.smtpUrl !== undefined && !/^smtps?:\/\/.+/.test(options.smtpUrl)) problems.push('options.smtpUrl (SMTP_URL) must start with smtp:// or smtps://.');
  if (options?.outboxPollMs !== undefined && !(Number.isInteger(options.outboxPollMs) && options.outboxPollMs >= 50)) {
    problems.push('options.outboxPollMs must be a whole number of milliseconds, at least 50.');
  }
  problems.push(...mailOptionProblems(options));
  return problems;
}

/**
 * The only entry a host calls. Synchronous and without I/O: it validates the manifest, checks the
 * host's API version and ports, and builds the container. Throws PluginLoadError naming every problem.
 */
export function register(host: HostV1, options: PluginOptions, manifest: Manifest = readManifest(PLUGIN_ROOT)): SelfRegistrationPlugin {
  const problems = [...checkHost(manifest, host), ...validateOptions(options)];
  if (problems.length > 0) throw new PluginLoadError(problems);
  const container = buildContainer(host, options, manifest);
  let started: LifecycleContribution[] = [];
  let state: 'registered' | 'starting' | 'started' | 'stopping' = 'registered';

  return {
    manifest,
    container,
    async start() {
      if (state !== 'registered') throw new Error(`start() called while ${state}`);
      state = 'starting';
      try {
        await migrate(host.database, manifest);
        for (const c of container.getAll<LifecycleContribution>(TYPES.Lifecycle)) {
          await c.start();
          started.push(c);
        }
        container.get<OutboxWorker>(TYPES.OutboxWorker).start();
        state = 'started';
      } catch (e) {
        await stopAll(started);
        started = [];
        state = 'registered';
        throw e;
      }
      host.logger.info(`${manifest.name} ${manifest.version} started`);
    },
    async stop() {
      if (state !== 'started') return;
      state = 'stopping';
      await container.get<OutboxWorker>(TYPES.OutboxWorker).stop();
      await stopAll(started);
      started = [];
      state = 'registered';
    },
  };
}

async function stopAll(started: LifecycleContribution[]): Promise<void> {
  for (const c of [...started].reverse()) await c.stop();
}

/** Runs the plugin's own migrations, tracked in its own table. */
export async function migrate(knex: Knex, manifest: Manifest): Promise<void> {
  await knex.migrate.latest({
    directory: path.join(PLUGIN_ROOT, manifest.migrations.directory),
    tableName: manifest.migrations.tableName,
    loadExtensions: ['.ts', '.js'],
  });
}
