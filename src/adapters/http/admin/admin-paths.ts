import { inject, injectable } from 'inversify';
import type { KnowledgeRef } from '../../../domain/shared/knowledge.js';
import type { Routes } from '../../../manifest/routes.js';
import { TYPES } from '../../../types.js';
import { deepLink } from '../shared/deep-link.js';
import { itemParam } from '../shared/item-param.js';

/**
 * Every URL of token management, built from the manifest's `admin` route (its mount and the named
 * `tokens` and `activity` paths): absolute paths for links and form actions, and the same paths
 * relative to the mount as Express patterns for the router.
 */
@injectable()
export class AdminPaths {
  constructor(@inject(TYPES.Routes) private readonly routes: Routes) {}

  get mount(): string {
    return this.routes.mount('admin');
  }

  /** The portal-wide Tokens page. */
  get tokens(): string {
    return this.routes.path('admin', 'tokens');
  }

  /** The portal-wide Activity page. */
  get activity(): string {
    return this.routes.path('admin', 'activity');
  }

  /** The registrations report (portal-wide; `?token=` or `?item=` narrows it). */
  get registrationsReport(): string {
    return this.routes.path('admin', 'registrationsReport');
  }

  /** The token usage report. */
  get usageReport(): string {
    return this.routes.path('admin', 'usageReport');
  }

  /** One token's registrations: where its "Uses" count links to. */
  registrationsOfToken(id: string): string {
    return `${this.registrationsReport}?token=${encodeURIComponent(id)}`;
  }

  registrationsOfItem(ref: KnowledgeRef): string {
    return `${this.registrationsReport}?item=${encodeURIComponent(itemParam(ref))}`;
  }

  /** A token's own path (its edit form; `/disable`, `/delete`, `/qr.png`… below it). */
  token(id: string): string {
    return `${this.tokens}/${encodeURIComponent(id)}`;
  }

  tokensOf(ref: KnowledgeRef): string {
    return `${this.tokens}?item=${encodeURIComponent(itemParam(ref))}`;
  }

  activityOf(ref: KnowledgeRef): string {
    return `${this.activity}?item=${encodeURIComponent(itemParam(ref))}`;
  }

  /** Where an item's Enrolment panel posts a new token. */
  createToken(ref: KnowledgeRef): string {
    return `${this.mount}/items/${encodeURIComponent(ref.type)}/${encodeURIComponent(ref.id)}/tokens`;
  }

  get portalSwitch(): string {
    return `${this.mount}/portal/switch`;
  }

  get apiKeys(): string {
    return `${this.mount}/api-keys`;
  }

  revokeApiKey(id: string): string {
    return `${this.apiKeys}/${encodeURIComponent(id)}/revoke`;
  }

  deepLink(publicBaseUrl: string, code: string | undefined): string {
    return deepLink(this.routes, publicBaseUrl, code);
  }

  /** The public registration page (where a code is typed in). */
  registerPage(publicBaseUrl: string): string {
    return `${publicBaseUrl.replace(/\/+$/, '')}${this.routes.mount('register')}`;
  }

  get tokensExport(): string {
    return this.routes.path('admin', 'tokensExport');
  }

  get importTemplate(): string {
    return this.routes.path('admin', 'importTemplate');
  }

  get tokenImports(): string {
    return this.routes.path('admin', 'tokenImports');
  }

  tokenImport(id: string): string {
    return this.routes.path('admin', 'tokenImport', { id });
  }

  tokenBatch(id: string): string {
    return this.routes.path('admin', 'tokenBatch', { id });
  }

  /** Where an item's Enrolment panel posts a new batch of codes. */
  createBatch(ref: KnowledgeRef): string {
    return `${this.createToken(ref)}/batches`;
  }

  // Router patterns, relative to the mount

  /** A named path of the `admin` route as an Express pattern, with `suffix`. */
  patternOf(name: string, suffix = ''): string {
    return `${this.routes.pattern('admin', name)}${suffix}`;
  }

  get tokensPattern(): string {
    return this.routes.pattern('admin', 'tokens');
  }

  get activityPattern(): string {
    return this.routes.pattern('admin', 'activity');
  }

  get registrationsReportPattern(): string {
    return this.routes.pattern('admin', 'registrationsReport');
  }

  get usageReportPattern(): string {
    return this.routes.pattern('admin', 'usageReport');
  }

  /** `/tokens/:id` with `suffix` (e.g. `/delete`). */
  tokenPattern(suffix = ''): string {
    return `${this.tokensPattern}/:id${suffix}`;
  }
}
