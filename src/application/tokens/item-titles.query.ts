import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import { itemsByRef, refKey } from '../shared/batch-lookups.js';


/**
 * The current titles of the items a page names (null for an item that has gone), each item asked of
 * the catalogue once however often it appears.
 */
export class ItemTitlesQuery {
  constructor(private readonly catalogue: CataloguePort) {}

  async execute(refs: readonly KnowledgeRef[]): Promise<(ref: KnowledgeRef) => string | null> {
    const items = await itemsByRef(this.catalogue, refs);
    return (ref) => items.get(refKey(ref))?.title ?? null;
  }
}
