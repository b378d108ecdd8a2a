import { inject, injectable } from 'inversify';
import type { KnowledgeRef, ReportContribution, ReportContributor } from '../../../contract/index.js';
import type { FeaturesPort } from '../../../domain/ports/features.port.js';
import type { PortalFacts } from '../../../domain/ports/portal-facts.port.js';
import { campaignLabel } from '../../../domain/reports/attribution.js';
import { isKnowledgeType } from '../../../domain/shared/knowledge.js';
import { CONTRIBUTED_COLUMNS, TOKEN_FILTER, type ItemReportColumns } from '../../../application/reports/item-report-columns.js';
import { LEARNING_FEATURE } from '../../../application/reports/report-access.js';
import type { HostPorts } from '../../host/host-ports.js';
import { TYPES, type LifecycleContribution } from '../../../types.js';
import { isoInZone } from '../../shared/csv/iso-time.js';
import { messages } from '../shared/messages.js';

const words = messages.reports.contributed;

const refOf = (item: KnowledgeRef): KnowledgeRef | null => (item && isKnowledgeType(item.type) && typeof item.id === 'string' ? { type: item.type, id: item.id } : null);

/**
 * The plugin's columns ("Registered through", "Registered at", "Account", "Campaign") and its token
 * filter in every item report of a 1.1 host, through `host.reports.contribute` while the plugin runs
 * (phase `panels`); taken off at stop. A host without `reports` (1.0) is told at load that this
 * feature is off, and nothing is contributed.
 */
@injectable()
export class ItemReportContribution implements LifecycleContribution, ReportContributor {
  readonly phase = 'panels' as const;
  private off: (() => void) | null = null;

  constructor(
    @inject(TYPES.HostPorts) private readonly host: HostPorts,
    @inject(TYPES.Features) private readonly features: FeaturesPort,
    @inject(TYPES.PortalFacts) private readonly portal: PortalFacts,
    @inject(TYPES.ItemReportColumns) private readonly columns: ItemReportColumns,
  ) {}

  start(): void {
    this.stop();
    if (!this.host.reports || !this.features.enabled(LEARNING_FEATURE)) return;
    this.off = this.host.reports.contribute(this);
  }

  stop(): void {
    this.off?.();
    this.off = null;
  }

  async describe(item: KnowledgeRef): Promise<ReportContribution> {
    const ref = refOf(item);
    const tokens = ref ? await this.columns.tokenOptions(ref) : [];
    // A time column names its zone, as the host's own time columns do.
    const timeZone = await this.portal.timeZone();
    return {
      columns: CONTRIBUTED_COLUMNS.map((id) => ({ id, label: id === 'registeredAt' ? `${words[id]} (${timeZone})` : words[id] })),
      filters: [{
        id: TOKEN_FILTER,
        label: words.registeredThrough,
        options: [{ value: '', label: messages.reports.any }, ...tokens.map((t) => ({ value: t.id, label: t.nickname ?? t.code ?? `#${t.id}` }))],
      }],
    };
  }

  async values(item: KnowledgeRef, userIds: readonly string[]): Promise<ReadonlyMap<string, Readonly<Record<string, string | null>>>> {
    const ref = refOf(item);
    const out = new Map<string, Record<string, string | null>>();
    if (!ref) return out;
    const timeZone = await this.portal.timeZone();
    for (const [userId, x] of await this.columns.registrationsOf(ref, userIds)) {
      out.set(userId, {
        registeredThrough: x.tokenNickname ?? (x.tokenId ? `#${x.tokenId}` : messages.reports.deletedToken),
        registeredAt: isoInZone(x.registeredAt, timeZone),
        account: x.newUser ? messages.reports.account.new : messages.reports.account.existing,
        campaign: campaignLabel(x.attribution),
      });
    }
    return out;
  }

  async usersMatching(item: KnowledgeRef, chosen: Readonly<Record<string, string>>): Promise<readonly string[] | null> {
    const ref = refOf(item);
    if (!ref) return null;
    return this.columns.usersMatching(ref, chosen ?? {});
  }
}
