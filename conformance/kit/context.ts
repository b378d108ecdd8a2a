/*
 * What every conformance test gets: the host under test, its database, visitors of the listening
 * host, fresh names, probe routers and panels of its own, the real plugin on demand, and clean-ups
 * run after each test whatever its outcome.
 */
import { randomBytes } from 'node:crypto';
import express from 'express';
import type { Router } from 'express';
import type { Knex } from 'knex';
import type { HostUser, HostV1, LoggerPort, MountKind, PluginOptions } from '../../src/contract/index.js';
import { register, type SelfRegistrationPlugin } from '../../src/plugin.js';
import type { HostUnderTest, MakeUser } from './types.js';
import { Visitor } from './visitor.js';

export const KIT_SECRET = 'conformance-kit-secret-conformance-kit-secret';
export const KIT_PASSWORD = 'Conformance kit 2026 password!';
const NO_LIMITS: Partial<PluginOptions> = { rateLimitIp: 'off', rateLimitEmail: 'off', rateLimitToken: 'off', rateLimitUnknownCode: 'off' };

export interface LoggedLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
}

export interface KitPlugin {
  readonly plugin: SelfRegistrationPlugin;
  /** What the plugin logged through the host's logger since register(). */
  readonly lines: LoggedLine[];
}

export class KitContext {
  private cleanups: (() => unknown)[] = [];
  private counter = 0;
  private readonly run = randomBytes(3).toString('hex');

  /** `database`: the kit's database, where what can race differs (PGlite runs one transaction at a time). */
  constructor(readonly hut: HostUnderTest, readonly knex: Knex, readonly base: string, readonly database: 'postgresql' | 'pglite' = 'postgresql') {}

  get host(): HostV1 {
    return this.hut.host;
  }

  visitor(): Visitor {
    return new Visitor(this.base);
  }

  /** A name no other test of this run uses. */
  unique(label: string): string {
    this.counter += 1;
    return `${label}-${this.run}-${this.counter}`;
  }

  email(label: string): string {
    return `${this.unique(label)}@conformance.example`;
  }

  /** Runs after the current test, last registered first. */
  defer(fn: () => unknown): void {
    this.cleanups.push(fn);
  }

  async cleanUp(): Promise<unknown[]> {
    const errors: unknown[] = [];
    for (const fn of this.cleanups.splice(0).reverse()) {
      try {
        await fn();
      } catch (error) {
        errors.push(error);
      }
    }
    return errors;
  }

  /** A person with a password set through `credentials.setPassword`. */
  async person(input: MakeUser): Promise<HostUser> {
    const user = await this.hut.makeUser({ email: this.email(input.type), ...input });
    const set = await this.host.credentials.setPassword(user.id, KIT_PASSWORD);
    if (!set.ok) throw new Error(`credentials.setPassword refused the kit's password: ${set.message}`);
    return user;
  }

  /** A visitor signed in as the user through the host's own sign-in page. */
  async signedIn(user: HostUser): Promise<Visitor> {
    const visitor = this.visitor();
    const outcome = await this.hut.signIn(visitor, user, KIT_PASSWORD, this.host.access.signInUrl('/'));
    if (outcome.status >= 400) throw new Error(`Signing ${user.email} in through the host failed with ${outcome.status}`);
    return visitor;
  }

  /** Mounts a router of the kit's own at a fresh path (unmounted after the test); returns the path. */
  probe(build: (router: Router) => void, kind: MountKind = 'public'): string {
    const path = `/conformance-${this.unique('probe')}`;
    const router = express.Router();
    build(router);
    const mounted = this.host.http.mount(path, router, kind);
    this.defer(() => mounted.unmount());
    return path;
  }

  /** Registers the real plugin on the host (optionally on a view of it), its log captured; stopped after the test. */
  registerPlugin(host: HostV1 = this.host, options: Partial<PluginOptions> = {}, manifest?: SelfRegistrationPlugin['manifest']): KitPlugin {
    const lines: LoggedLine[] = [];
    const logger = capturing(host.logger, lines);
    const view = new Proxy(host, { get: (target, key) => (key === 'logger' ? logger : Reflect.get(target, key)) });
    const settings = { secret: KIT_SECRET, outboxPollMs: 200, ...NO_LIMITS, ...options };
    const plugin = manifest ? register(view, settings, manifest) : register(view, settings);
    this.defer(() => plugin.stop());
    return { plugin, lines };
  }

  async startPlugin(host: HostV1 = this.host, options: Partial<PluginOptions> = {}): Promise<KitPlugin> {
    const loaded = this.registerPlugin(host, options);
    await loaded.plugin.start();
    return loaded;
  }

  /** Lets callbacks queued behind I/O run (a handler raised by mistake before a commit shows up here). */
  async settle(rounds = 5): Promise<void> {
    for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /**
   * Holds `trx` open until another transaction is seen waiting on it (PostgreSQL: a backend that
   * `pg_blocking_pids` says `trx` blocks) or `done()` holds, at most `ms`; says whether one was seen.
   * A test whose second call must overlap an open transaction waits here, not a fixed pause a loaded
   * machine outlasts. A host whose call waits outside the database (in process, as the memory host's
   * does) shows no lock and gets the whole `ms`. On PGlite nothing waits in the database (one
   * transaction at a time): it settles and says false.
   */
  async untilWaitedOn(trx: Knex.Transaction, done: () => boolean, ms = 2000): Promise<boolean> {
    if (this.database !== 'postgresql') {
      await this.settle();
      return false;
    }
    const pid = ((await trx.raw('select pg_backend_pid() as pid')) as { rows: { pid: number }[] }).rows[0]!.pid;
    const until = Date.now() + ms;
    while (!done() && Date.now() < until) {
      const seen = (await this.knex.raw('select exists (select 1 from pg_stat_activity a where a.datname = current_database() and ?::int = any(pg_blocking_pids(a.pid))) as waiting', [pid])) as { rows: { waiting: boolean }[] };
      if (seen.rows[0]!.waiting) return true;
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    return false;
  }

  /** Waits until `condition` holds (up to `ms`), else fails naming what was awaited. */
  async waitFor(condition: () => boolean | Promise<boolean>, what: string, ms = 3000): Promise<void> {
    const until = Date.now() + ms;
    while (!(await condition())) {
      if (Date.now() > until) throw new Error(`Waited ${ms} ms for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  }
}

/** Raised to make a transaction roll back on purpose. */
export class Rollback extends Error {
  constructor() {
    super('rolled back on purpose');
  }
}

/** Runs `body` in a transaction that rolls back; resolves with what the body saw. */
export async function inRolledBack<T>(knex: Knex, body: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  let seen: T | undefined;
  try {
    await knex.transaction(async (trx) => {
      seen = await body(trx);
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return seen as T;
}

function capturing(target: LoggerPort, lines: LoggedLine[]): LoggerPort {
  const at = (level: LoggedLine['level']) => (message: string, context?: Record<string, unknown>) => {
    lines.push({ level, message });
    target[level](message, context);
  };
  return { info: at('info'), warn: at('warn'), error: at('error') };
}
