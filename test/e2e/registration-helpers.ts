/*
 * Shared setup of the registration-page suites: a sandbox with the real plugin (loaded from its
 * manifest), optionally listening on 127.0.0.1, and tokens made through the plugin's own storage.
 */
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import type { PluginOptions } from '../../src/contract/index.js';
import type { SelfRegistrationPlugin } from '../../src/plugin.js';
import { TYPES } from '../../src/types.js';
import { TokenCode } from '../../src/domain/tokens/token-code.js';
import type { Token } from '../../src/domain/tokens/token.js';
import type { KnowledgeRef } from '../../src/domain/shared/knowledge.js';
import type { ChangeSignal } from '../../src/application/shared/read-cache.js';
import type { TokenRepository } from '../../src/domain/ports/token-repository.port.js';
import { randomSource } from '../../src/adapters/crypto/crypto.adapters.js';
import { startTestSandbox, type TestSandbox } from '../sandbox/helpers.js';

/** Limits high enough that a suite's own requests never meet them. */
export const NO_LIMITS: Partial<PluginOptions> = { rateLimitIp: 'off', rateLimitEmail: 'off', rateLimitToken: 'off', rateLimitUnknownCode: 'off' };

/** A small SVG logo the listening sandbox serves at /brand/logo.svg (same origin, so the page's CSP allows it). */
export const LOGO_PATH = '/brand/logo.svg';
const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="48" viewBox="0 0 200 48">
<rect width="48" height="48" rx="10" fill="#0b6e4f"/><path d="M12 32 L24 14 L36 32 Z" fill="#f2c14e"/>
<text x="58" y="32" font-family="Arial, sans-serif" font-size="22" font-weight="700" fill="#0b3d2e">Northwind</text></svg>`;

export interface RegistrationSandbox {
  t: TestSandbox;
  knex: Knex;
  plugin: SelfRegistrationPlugin;
  /** http://127.0.0.1:<port> when listening, else the configured base URL. */
  base: string;
  server: Server | null;
  /** The first topic, article and pathway the organisation made (not library content). */
  items: { topic: Item; article: Item; pathway: Item };
  token(item: KnowledgeRef, opts?: Partial<Pick<Token, 'nickname' | 'maxUses' | 'expiresAt' | 'enabled'>> & { uses?: number }): Promise<Token>;
  /** Changes a token row directly, then drops the plugin's read caches as its own writes would. */
  setToken(id: string, patch: Record<string, unknown>): Promise<void>;
  /** Drops the plugin's read caches (after writing to its tables behind its back). */
  changed(): void;
  close(): Promise<void>;
}

export interface Item {
  ref: KnowledgeRef;
  id: string;
  title: string;
}

export async function startRegistrationSandbox(opts: { env?: NodeJS.ProcessEnv; options?: Partial<PluginOptions>; listen?: boolean; withoutReports?: boolean } = {}): Promise<RegistrationSandbox> {
  let server: Server | null = null;
  let base = 'http://localhost:3000';
  if (opts.listen) {
    // Listen first, so the public base URL can name the real port.
    server = http.createServer();
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  const t = await startTestSandbox({ plugin: false, env: { ...(opts.listen ? { PUBLIC_BASE_URL: base } : {}), ...opts.env } });
  // A host without the optional 1.1 `reports` port, as a 1.0 host would be.
  if (opts.withoutReports) delete (t.sandbox.host as { reports?: unknown }).reports;
  await t.sandbox.loadPlugin({ options: { outboxPollMs: 100, ...opts.options } });
  if (server) {
    server.on('request', (req, res) => {
      if (req.url === LOGO_PATH) {
        res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'max-age=3600' });
        return void res.end(LOGO_SVG);
      }
      t.sandbox.app(req, res);
    });
  }
  const plugin = t.sandbox.plugin!.instance as SelfRegistrationPlugin;
  const pick = async (type: string): Promise<Item> => {
    const row = await t.knex('sandbox_items').where({ type, origin: 'own' }).orderBy('id').first();
    return { ref: { type: row.type, id: String(row.id) }, id: String(row.id), title: row.title };
  };
  const items = { topic: await pick('topic'), article: await pick('article'), pathway: await pick('pathway') };
  const changed = () => plugin.container.get<ChangeSignal>(TYPES.ChangeSignal).bump();
  return {
    t,
    knex: t.knex,
    plugin,
    base,
    server,
    items,
    async token(item, o = {}) {
      const code = TokenCode.generate(randomSource);
      const repo = plugin.container.get<TokenRepository>(TYPES.TokenRepository);
      const token = await repo.insert({
        item, nickname: o.nickname ?? null, normalisedCode: code.normalised, displayCode: code.display, custom: false,
        expiresAt: o.expiresAt ?? null, maxUses: o.maxUses ?? null, createdBy: null,
      });
      if (!token) throw new Error('token code taken');
      const patch: Record<string, unknown> = {};
      if (o.enabled === false) patch.enabled = false;
      if (o.uses !== undefined) patch.uses = o.uses;
      if (Object.keys(patch).length) await t.knex('selfreg_tokens').where({ id: token.id }).update(patch);
      changed();
      return { ...token, ...(o.enabled === false && { enabled: false }), ...(o.uses !== undefined && { uses: o.uses }) };
    },
    async setToken(id, patch) {
      await t.knex('selfreg_tokens').where({ id }).update(patch);
      changed();
    },
    changed,
    async close() {
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      await t.destroy();
    },
  };
}

/**
 * A registration's answer as it must not differ between a known and a new email: status, headers
 * (but the date and the length) and the body, with the address the visitor typed (which "check your
 * inbox" shows back, whoever owns it) written as <email>.
 */
export function answerShape(res: { status: number; text: string; headers: Record<string, unknown> }, typedEmail: string) {
  const { date: _date, 'content-length': _length, ...headers } = res.headers;
  const typed = new RegExp(typedEmail.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
  return { status: res.status, body: res.text.replace(typed, '<email>'), headers };
}

/** Counts rows of a table matching `where`. */
export async function count(knex: Knex, table: string, where: Record<string, unknown> = {}): Promise<number> {
  const row = await knex(table).where(where).count<{ n: string | number }[]>({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/**
 * A token's uses as the plugin counts them: claimed while capped (the token row) plus its shards
 * (uses of an uncapped token never write the token row).
 */
export async function usesOf(knex: Knex, tokenId: string | number): Promise<number> {
  const row = await knex('selfreg_tokens').where({ id: tokenId }).first('uses');
  const shards = await knex('selfreg_token_uses').where({ token_id: tokenId }).sum<{ n: string | number | null }[]>({ n: 'uses' }).first();
  return Number(row?.uses ?? 0) + Number(shards?.n ?? 0);
}

/** The CSRF token in a rendered form. */
/** The page's CSRF token: the one helper, under the name these tests use. */
export { csrfIn as csrfOf } from '../support/csrf.js';
