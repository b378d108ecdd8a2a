import { inject, injectable } from 'inversify';
import type { AuditEntry } from '../../../domain/audit/audit.js';
import { knowledgeTypeLabel, type KnowledgeRef } from '../../../domain/shared/knowledge.js';
import type { HostUser } from '../../../domain/shared/user.js';
import type { ItemTitlesQuery } from '../../../application/tokens/item-titles.query.js';
import type { ItemTokensQuery } from '../../../application/tokens/item-tokens.query.js';
import { TYPES } from '../../../types.js';
import { messages } from '../shared/messages.js';
import { AdminPages } from './admin-pages.js';
import { AdminPaths } from './admin-paths.js';
import { auditLine, type AuditLine } from '../shared/audit-line.js';

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
    @inject(TYPES.ItemTitlesQuery) private readonly itemTitles: ItemTitlesQuery,
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
    const titleOf = await this.itemTitles.execute(entries.flatMap((e) => (e.item ? [e.item] : [])));
    return entries.map((e) => ({
      ...auditLine(e, timeZone),
      itemLink: e.item
        ? { text: `${knowledgeTypeLabel(e.item.type)}: ${titleOf(e.item) ?? messages.tokenAdmin.page.itemGone}`, url: this.paths.tokensOf(e.item) }
        : null,
    }));
  }
}
