import { inject, injectable } from 'inversify';
import type { AuditEntry } from '../../../domain/audit/audit.js';
import { knowledgeTypeLabel, type KnowledgeRef } from '../../../domain/shared/knowledge.js';
import type { HostUser } from '../../../domain/shared/user.js';
import type { CataloguePort } from '../../../domain/ports/host.ports.js';
import type { ItemTokensQuery } from '../../../application/tokens/item-tokens.query.js';
import { TYPES } from '../../../container/types.js';
import { messages } from '../shared/messages.js';
import { AdminPages } from './admin-pages.js';
import { AdminPaths } from './admin-paths.js';
import { auditLine, type AuditLine } from './audit-line.js';
import { itemParam } from './item-param.js';

export interface ItemLabel {
  readonly title: string;
  readonly type: string;
  readonly settingsUrl: string | null;
  readonly tokensUrl: string;
}

export interface LinkedAuditLine extends AuditLine {
  readonly itemLink: { readonly text: string; readonly url: string } | null;
}

/** Items as the Tokens and Activity pages name and link them (titles as the host knows them now). */
@injectable()
export class ItemLinks {
  constructor(
    @inject(TYPES.ItemTokensQuery) private readonly itemTokens: ItemTokensQuery,
    @inject(TYPES.Catalogue) private readonly catalogue: CataloguePort,
    @inject(AdminPages) private readonly pages: AdminPages,
    @inject(AdminPaths) private readonly paths: AdminPaths,
  ) {}

  /** The item a page is filtered by: its title (or that it has gone), type, settings tab and tokens. */
  async label(user: HostUser, ref: KnowledgeRef): Promise<ItemLabel> {
    const listed = await this.itemTokens.execute(user, ref);
    return {
      title: listed.ok ? listed.value.item.title : messages.tokenAdmin.page.itemGone,
      type: knowledgeTypeLabel(ref.type),
      settingsUrl: listed.ok ? this.pages.links().itemSettings(ref) : null,
      tokensUrl: this.paths.tokensOf(ref),
    };
  }

  /** Audit lines with a link to each item's tokens. */
  async auditLines(entries: readonly AuditEntry[], timeZone: string): Promise<LinkedAuditLine[]> {
    const titles = new Map<string, string | null>();
    for (const e of entries) {
      if (!e.item) continue;
      const key = itemParam(e.item);
      if (!titles.has(key)) titles.set(key, (await this.catalogue.get(e.item))?.title ?? null);
    }
    return entries.map((e) => ({
      ...auditLine(e, timeZone),
      itemLink: e.item
        ? { text: `${knowledgeTypeLabel(e.item.type)}: ${titles.get(itemParam(e.item)) ?? messages.tokenAdmin.page.itemGone}`, url: this.paths.tokensOf(e.item) }
        : null,
    }));
  }
}
