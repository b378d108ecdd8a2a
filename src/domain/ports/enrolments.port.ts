import type { KnowledgeRef } from '../shared/knowledge.js';
import type { Tx } from './unit-of-work.port.js';

export interface EnrolmentsPort {
  /** Idempotent: enrolling an enrolled user changes nothing and reports created=false. */
  enrol(userId: string, item: KnowledgeRef, tx?: Tx): Promise<{ created: boolean }>;
  isEnrolled(userId: string, item: KnowledgeRef, tx?: Tx): Promise<boolean>;
}
