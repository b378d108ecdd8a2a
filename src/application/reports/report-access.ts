import { ErrorCodes, refuse, refuseWith, type Refusal } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import { checkFilter, filterInZone, type CheckedFilter, type RawRegistrationFilter, type RegistrationFilter } from '../../domain/reports/registration-report.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';
import type { PortalFacts } from '../../domain/ports/portal-facts.port.js';
import type { FeaturesPort } from '../../domain/ports/features.port.js';

/** The manifest feature that brings the learning steps (started, completed, outcome) from a 1.1 host. */
export const LEARNING_FEATURE = 'reports.learning';

/** A report request, checked: who may see it, what it is filtered by, in which time zone. */
export interface ReportRequest {
  readonly checked: CheckedFilter;
  readonly filter: RegistrationFilter;
  readonly timeZone: string;
  /** False on a host without the learning events: the started and completed steps stay empty. */
  readonly learningAvailable: boolean;
}

/**
 * The gate every report shares: only people who manage tokens see who registered (learners never),
 * and the filter is checked field by field, its days read in the portal's time zone.
 */
export class ReportAccess {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly portal: PortalFacts,
    private readonly features: FeaturesPort,
  ) {}

  async open(actor: HostUser | null, raw: RawRegistrationFilter): Promise<Result<ReportRequest, Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.tokensManage, actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    const checked = checkFilter(raw);
    if (!checked.ok) return err(refuseWith(ErrorCodes.VALIDATION_FAILED, { field: checked.problems[0]!.field }));
    const timeZone = await this.portal.timeZone();
    return ok({ checked: checked.value, filter: filterInZone(checked.value, timeZone), timeZone, learningAvailable: this.learningAvailable() });
  }

  learningAvailable(): boolean {
    return this.features.enabled(LEARNING_FEATURE);
  }
}
