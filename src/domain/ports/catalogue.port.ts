import type { KnowledgeItem, KnowledgeRef, KnowledgeType } from '../shared/knowledge.js';
import type { Tx } from './unit-of-work.port.js';

export interface CataloguePort {
  get(ref: KnowledgeRef, tx?: Tx): Promise<KnowledgeItem | null>;
  list(filter?: { type?: KnowledgeType }): Promise<KnowledgeItem[]>;
  /**
   * Optional: the page where admins see who enrolled in the item and how they are doing, as a
   * same-origin path (e.g. `/admin/reports/topic/12`), or null. Admin notification emails link to it,
   * prefixed with the public base URL; without it they link to the item's learner URL.
   */
  reportUrl?(ref: KnowledgeRef, tx?: Tx): Promise<string | null>;
  /** Optional: several items in one query; refs matching nothing are left out. */
  getMany?(refs: readonly KnowledgeRef[], tx?: Tx): Promise<KnowledgeItem[]>;
}
