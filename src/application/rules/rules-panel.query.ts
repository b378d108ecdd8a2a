import type { Refusal } from '../../domain/shared/errors.js';
import type { KnowledgeItem } from '../../domain/shared/knowledge.js';
import { ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import type { ListRulesQuery, RuleView } from './list-rules.query.js';
import type { SelfEnrolmentWarningsQuery } from './self-enrolment-warnings.query.js';

export interface RulesPanelView {
  readonly rules: readonly RuleView[];
  /** Every topic, article and pathway (library content included), for the items to enrol into and the titles shown. */
  readonly items: readonly KnowledgeItem[];
  /** Self-enrolment items open to every user type. */
  readonly warnings: readonly KnowledgeItem[];
  /** Whether the host can run rules (feature enrolment.rules). */
  readonly available: boolean;
}

/** What the portal's Enrolment rules panel and its pages show. */
export class RulesPanelQuery {
  constructor(
    private readonly rules: ListRulesQuery,
    private readonly catalogue: CataloguePort,
    private readonly warnings: SelfEnrolmentWarningsQuery,
    private readonly available: boolean,
  ) {}

  async execute(actor: HostUser | null): Promise<Result<RulesPanelView, Refusal>> {
    const list = await this.rules.list(actor);
    if (!list.ok) return list;
    const [items, warnings] = await Promise.all([this.catalogue.list(), this.warnings.execute()]);
    return ok({ rules: list.value, items, warnings, available: this.available });
  }
}
