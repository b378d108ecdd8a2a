import type { KnowledgeItem, KnowledgeRef, KnowledgeType } from '../../../src/domain/shared/knowledge.js';
import type { CataloguePort } from '../../../src/domain/ports/catalogue.port.js';
import { sameRef, type FakeDb } from './fake-db.js';

export class FakeCatalogue implements CataloguePort {
  constructor(private readonly db: FakeDb) {}

  async get(ref: KnowledgeRef): Promise<KnowledgeItem | null> {
    return this.db.state.items.find((i) => sameRef(i.ref, ref)) ?? null;
  }
  async list(filter?: { type?: KnowledgeType }): Promise<KnowledgeItem[]> {
    return this.db.state.items.filter((i) => !filter?.type || i.ref.type === filter.type);
  }
}
