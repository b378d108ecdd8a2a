import type { AuditRepository } from '../../domain/ports/audit-repository.port.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { EnrolmentRuleRepository } from '../../domain/ports/enrolment-rule-repository.port.js';
import type { PermissionsPort } from '../../domain/ports/permissions.port.js';
import type { UnitOfWork } from '../../domain/ports/unit-of-work.port.js';
import type { RuleReferences } from './rule-references.js';
import type { RulesCache } from './rules-cache.js';

/** What the rule management use cases share. */
export interface RulesContext {
  readonly permissions: PermissionsPort;
  readonly uow: UnitOfWork;
  readonly rules: EnrolmentRuleRepository;
  readonly audit: AuditRepository;
  readonly clock: ClockPort;
  readonly cache: RulesCache;
  readonly references: RuleReferences;
  /** Whether the host can run rules (feature enrolment.rules): without it rules can be read but not made. */
  readonly available: boolean;
}
