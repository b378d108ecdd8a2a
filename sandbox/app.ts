/*
 * The sandbox LMS, composed: the host (host/, contract v1 over the sandbox_* tables), the web app
 * (web/, a file per route group) and the plugin's lifecycle. The plugin is loaded through its
 * manifest as a production host would (plugin-loader.ts) and logs through a pino child of the
 * sandbox's logger.
 */
import type express from 'express';
import type { Knex } from 'knex';
import type { HostV1, PluginOptions } from '../src/contract/index.js';
import type { SandboxConfig } from './config.js';
import { createClock } from './host/clock.port.js';
import type { SandboxClock } from './host/clock.port.js';
import type { HostEventBus } from './host/events.port.js';
import type { MountRegistry } from './host/http.port.js';
import { createHost } from './host/index.js';
import { createLogger, loggerPort } from './host/logger.port.js';
import type { SandboxLogger } from './host/logger.port.js';
import type { SandboxLearning } from './host/learning.js';
import type { PanelRegistry } from './host/panels.port.js';
import type { SandboxAdmin } from './host/sandbox-admin.js';
import type { SandboxSelfEnrolment } from './host/self-enrolment.js';
import { loadPlugin as loadPluginFromManifest } from './plugin-loader.js';
import type { LoadedPlugin, LoadPluginOptions } from './plugin-loader.js';
import { namingVariables, pluginOptionsFrom, variablesOf } from './plugin-options.js';
import { KnexSessionStore } from './session-store.js';
import { createWebApp, RESERVED_PATHS } from './web/create-web-app.js';
import { createWebContext } from './web/web-context.js';
import type { AdminMenuRegistry } from './host/layout.port.js';

export interface SandboxOptions {
  knex: Knex;
  config: SandboxConfig;
  /** No log output (the records stay in `logger.entries`). */
  quiet?: boolean;
  /** The logger to write to (`npm start` makes one first); by default one for `config.production`. */
  logger?: SandboxLogger;
  /** Defaults to a real-time clock that tests may freeze with `clock.set(date)`. */
  clock?: SandboxClock;
  /** Session prune interval in ms (default 15 min; 0 disables). */
  sessionPruneIntervalMs?: number;
}

export interface Sandbox {
  app: express.Express;
  host: HostV1;
  config: SandboxConfig;
  events: HostEventBus;
  panels: PanelRegistry;
  mounts: MountRegistry;
  /** The plugin's entries in the admin navigation (contract 1.1). */
  adminMenu: AdminMenuRegistry;
  logger: SandboxLogger;
  clock: SandboxClock;
  /** Sandbox-side changes that raise user.updated / user.deleted / item.cloned / item.deleted. */
  admin: SandboxAdmin;
  /** Lessons, quizzes and sign-ins, raising the learning events (what the learner's pages call). */
  learning: SandboxLearning;
  /** Items opened for self-enrolment and the learners' catalogue, asked through the filter chains. */
  selfEnrolment: SandboxSelfEnrolment;
  sessionStore: KnexSessionStore;
  /** The loaded plugin, once `loadPlugin()` has resolved. */
  readonly plugin: LoadedPlugin | null;
  /** Loads plugin/manifest.json's entry (or `opts.entry`), registers and starts it. */
  loadPlugin(opts?: LoadPluginOptions & { options?: Partial<PluginOptions> }): Promise<void>;
  /** Stops the plugin (if loaded) and the session store's timer. The knex instance stays open. */
  close(): Promise<void>;
}

export async function createSandbox(opts: SandboxOptions): Promise<Sandbox> {
  const { knex, config } = opts;
  const logger = opts.logger ?? createLogger({ format: config.production ? 'json' : 'pretty', ...(opts.quiet !== undefined && { quiet: opts.quiet }) });
  const log = logger.pino;
  const clock = opts.clock ?? createClock();
  const created = createHost({ knex, config, logger, clock, reservedPaths: RESERVED_PATHS });
  const { host, panels, mounts, events, admin } = created;

  const sessionStore = new KnexSessionStore(knex, {
    ...(opts.sessionPruneIntervalMs !== undefined && { pruneIntervalMs: opts.sessionPruneIntervalMs }),
    onError: (error) => log.warn({ error }, 'Session prune failed'),
  });
  const web = createWebContext({ knex, config, host, hostContext: created.context, panels, adminMenu: created.adminMenu, admin, learning: created.learning, contributors: created.contributors, selfEnrolment: created.selfEnrolment, log });
  const app = createWebApp({ web, mounts, sessionStore, users: created });
  // Contract 1.1: the plugin's admin pages are drawn inside the sandbox's header and footer.
  created.layout.useRenderer(async (req, page) => {
    const locals = { ...(await web.pageLocals(req)), title: page.title, head: page.head, main: page.main };
    return new Promise<string>((resolve, reject) => app.render('plugin-frame', locals, (error, html) => (error ? reject(error) : resolve(html))));
  });

  let plugin: LoadedPlugin | null = null;
  let closed = false;

  return {
    app,
    host,
    config,
    events,
    panels,
    mounts,
    adminMenu: created.adminMenu,
    logger,
    clock,
    admin,
    learning: created.learning,
    selfEnrolment: created.selfEnrolment,
    sessionStore,
    get plugin() {
      return plugin;
    },
    async loadPlugin(loadOpts = {}) {
      if (plugin) throw new Error('The plugin is already loaded');
      const { options: explicit, ...where } = loadOpts;
      try {
        plugin = await loadPluginFromManifest(host, pluginOptionsFrom(config, explicit), where, {
          loggerFor: (pluginId) => loggerPort(log.child({ plugin: pluginId })),
        });
      } catch (error) {
        // Options given explicitly (tests) keep their names; the rest came from variables.
        throw namingVariables(error, variablesOf(config, explicit));
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        if (plugin) await plugin.instance.stop();
      } finally {
        plugin = null;
        sessionStore.close();
      }
    },
  };
}
