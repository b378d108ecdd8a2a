import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';

const keyOf = (ref: KnowledgeRef): string => `${ref.type}:${ref.id}`;

/**
 * The current titles of the items a page names (null for an item that has gone), each item asked of
 * the catalogue once however often it appears.
 */
export class ItemTitlesQuery {
  constructor(private readonly catalogue: CataloguePort) {}

  async execute(refs: readonly KnowledgeRef[]): Promise<(ref: KnowledgeRef) => string | null> {
    const titles = new Map<string, string | null>();
    for (const ref of refs) {
      const key = keyOf(ref);
      if (!titles.has(key)) titles.set(key, (await this.catalogue.get(ref))?.title ?? null);
    }
    return (ref) => titles.get(keyOf(ref)) ?? null;
  }
}
