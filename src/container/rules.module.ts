import { ContainerModule, type ServiceIdentifier } from 'inversify';
import type { HostPorts } from '../adapters/host/host-ports.js';
import { errorMessage } from '../adapters/http/shared/messages.js';
import { KnexEnrolmentRuleRepository } from '../adapters/persistence/rules/enrolment-rule.repository.js';
import { KnexRulePersonFacts } from '../adapters/persistence/rules/rule-person-facts.store.js';
import { KnexRuleRuns } from '../adapters/persistence/rules/rule-runs.store.js';
import { KnexRuleTargets } from '../adapters/persistence/rules/rule-targets.store.js';
import { ApplyRuleUseCase } from '../application/rules/apply-rule.use-case.js';
import { CheckSelfEnrolQuery } from '../application/rules/check-self-enrol.query.js';
import { CreateRuleUseCase } from '../application/rules/create-rule.use-case.js';
import { DeleteRuleUseCase } from '../application/rules/delete-rule.use-case.js';
import { DryRunRuleQuery } from '../application/rules/dry-run-rule.query.js';
import { ListRulesQuery } from '../application/rules/list-rules.query.js';
import { ReconcileUserRulesUseCase } from '../application/rules/reconcile-user-rules.use-case.js';
import { RecordEnrolmentRemovalUseCase } from '../application/rules/record-enrolment-removal.use-case.js';
import { RegistrationRules } from '../application/rules/registration-rules.js';
import { RemoveDeletedItemFromRulesUseCase } from '../application/rules/remove-deleted-item.use-case.js';
import { RuleBackfill } from '../application/rules/rule-backfill.js';
import { RuleReferences } from '../application/rules/rule-references.js';
import { RulesCache } from '../application/rules/rules-cache.js';
import type { RulesContext } from '../application/rules/rules-context.js';
import { SelfEnrolmentWarningsQuery } from '../application/rules/self-enrolment-warnings.query.js';
import { UpdateRuleUseCase } from '../application/rules/update-rule.use-case.js';
import type { FeaturesPort } from '../domain/ports/features.port.js';
import { RuleHooks } from '../hooks/rules.hooks.js';
import { RulesPanelQuery } from '../application/rules/rules-panel.query.js';
import { RulesPanel } from '../adapters/http/admin/rules.panel.js';
import type { SettingsPanel } from '../adapters/http/shared/settings-panel.js';
import type { RouteContribution } from '../adapters/http/shared/route-contribution.js';
import type { HookHandlers, VetoWords } from '../hooks/hook-types.js';
import { TYPES } from '../types.js';
import { RuleDataHolder } from '../adapters/persistence/rules/rule-data.holder.js';
import type { PersonalDataHolder } from '../domain/ports/personal-data.port.js';

/** Users per chunk of a backfill: each chunk one committed transaction and one progress step (each chunk scans the host's users once per item, so fewer, larger chunks cost less). */
export const BACKFILL_CHUNK = 25_000;
const RULES_CONTEXT = Symbol.for('selfreg.RulesContext');

type Use = <T>(id: ServiceIdentifier<T>, make: (...deps: never[]) => T, deps: ServiceIdentifier[]) => void;

/**
 * Enrolment rules (feature enrolment.rules) and the self-enrolment quarantine (feature
 * enrolment.quarantine): storage, the rules cache registrations read, the use cases behind the
 * portal panel and the API, and the hooks. On a host without the feature's parts, rules can be
 * listed and deleted but not made or applied, and registrations enrol in the token's item only.
 */
export const rulesModule = new ContainerModule(({ bind }) => {
  const use: Use = (id, make, deps) => bind(id).toResolvedValue(make as never, deps as never).inSingletonScope();
  const rulesOn = (f: FeaturesPort) => f.enabled('enrolment.rules');
  bind(TYPES.EnrolmentRuleRepository).to(KnexEnrolmentRuleRepository).inSingletonScope();
  bind(TYPES.RulePersonFacts).to(KnexRulePersonFacts).inSingletonScope();
  bind(TYPES.RuleRuns).to(KnexRuleRuns).inSingletonScope();
  bind(TYPES.RuleTargets).to(KnexRuleTargets).inSingletonScope();
  bind<PersonalDataHolder>(TYPES.PersonalDataHolder).to(RuleDataHolder).inSingletonScope();
  use(TYPES.RulesCache, (repo) => new RulesCache(repo), [TYPES.EnrolmentRuleRepository]);
  use(
    TYPES.RegistrationRules,
    (cache, host: HostPorts, f: FeaturesPort, facts) => new RegistrationRules(cache, host.enrolments, rulesOn(f), facts),
    [TYPES.RulesCache, TYPES.HostPorts, TYPES.Features, TYPES.RulePersonFacts],
  );
  use(
    TYPES.RuleBackfill,
    (uow, host: HostPorts, targets, facts) => new RuleBackfill({ uow, users: host.users, enrolments: host.enrolments, targets, facts, chunkSize: BACKFILL_CHUNK }),
    [TYPES.UnitOfWork, TYPES.HostPorts, TYPES.RuleTargets, TYPES.RulePersonFacts],
  );
  use(
    RULES_CONTEXT,
    (permissions, uow, rules, audit, clock, cache, host: HostPorts, tokens, f: FeaturesPort): RulesContext => ({
      permissions, uow, rules, audit, clock, cache, references: new RuleReferences(host.catalogue, tokens), available: rulesOn(f),
    }),
    [TYPES.Permissions, TYPES.UnitOfWork, TYPES.EnrolmentRuleRepository, TYPES.AuditRepository, TYPES.Clock, TYPES.RulesCache, TYPES.HostPorts, TYPES.TokenRepository, TYPES.Features],
  );
  use(TYPES.CreateRuleUseCase, (c) => new CreateRuleUseCase(c), [RULES_CONTEXT]);
  use(TYPES.UpdateRuleUseCase, (c) => new UpdateRuleUseCase(c), [RULES_CONTEXT]);
  use(TYPES.DeleteRuleUseCase, (c) => new DeleteRuleUseCase(c), [RULES_CONTEXT]);
  use(TYPES.ListRulesQuery, (p, rules, runs) => new ListRulesQuery(p, rules, runs), [TYPES.Permissions, TYPES.EnrolmentRuleRepository, TYPES.RuleRuns]);
  use(
    TYPES.DryRunRuleQuery,
    (p, rules, backfill, host: HostPorts, f: FeaturesPort, tokens) =>
      new DryRunRuleQuery(p, rules, backfill, host.users, host.catalogue, rulesOn(f), new RuleReferences(host.catalogue, tokens)),
    [TYPES.Permissions, TYPES.EnrolmentRuleRepository, TYPES.RuleBackfill, TYPES.HostPorts, TYPES.Features, TYPES.TokenRepository],
  );
  use(
    TYPES.ApplyRuleUseCase,
    (p, rules, runs, backfill, audit, clock, logger, f: FeaturesPort) => new ApplyRuleUseCase(p, rules, runs, backfill, audit, clock, logger, rulesOn(f)),
    [TYPES.Permissions, TYPES.EnrolmentRuleRepository, TYPES.RuleRuns, TYPES.RuleBackfill, TYPES.AuditRepository, TYPES.Clock, TYPES.Logger, TYPES.Features],
  );
  use(
    TYPES.ReconcileUserRulesUseCase,
    (cache, facts, host: HostPorts, registration, logger) => new ReconcileUserRulesUseCase(cache, facts, host.enrolments, registration, logger),
    [TYPES.RulesCache, TYPES.RulePersonFacts, TYPES.HostPorts, TYPES.RegistrationRules, TYPES.Logger],
  );
  use(TYPES.RecordEnrolmentRemovalUseCase, (facts, clock) => new RecordEnrolmentRemovalUseCase(facts, clock), [TYPES.RulePersonFacts, TYPES.Clock]);
  use(
    TYPES.RemoveDeletedItemFromRulesUseCase,
    (uow, rules, audit, clock, cache) => new RemoveDeletedItemFromRulesUseCase(uow, rules, audit, clock, cache),
    [TYPES.UnitOfWork, TYPES.EnrolmentRuleRepository, TYPES.AuditRepository, TYPES.Clock, TYPES.RulesCache],
  );
  use(TYPES.CheckSelfEnrolQuery, () => new CheckSelfEnrolQuery(), []);
  use(TYPES.SelfEnrolmentWarningsQuery, (host: HostPorts) => new SelfEnrolmentWarningsQuery(host.catalogue), [TYPES.HostPorts]);
  use(
    TYPES.RulesPanelQuery,
    (list, host: HostPorts, warnings, f: FeaturesPort) => new RulesPanelQuery(list, host.catalogue, warnings, rulesOn(f)),
    [TYPES.ListRulesQuery, TYPES.HostPorts, TYPES.SelfEnrolmentWarningsQuery, TYPES.Features],
  );
  bind(RulesPanel).toSelf().inSingletonScope();
  bind<SettingsPanel>(TYPES.SettingsPanel).toService(RulesPanel);
  bind<RouteContribution>(TYPES.RouteContribution).toService(RulesPanel);
  bind<VetoWords>(TYPES.VetoWords).toConstantValue((veto) => errorMessage(veto.code));
  bind(RuleHooks).toSelf().inSingletonScope();
  bind<HookHandlers>(TYPES.HookHandlers).toService(RuleHooks);
});
