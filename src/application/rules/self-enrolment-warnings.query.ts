import { openToEveryType } from '../../domain/rules/quarantine.js';
import type { KnowledgeItem } from '../../domain/shared/knowledge.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';

/** Self-enrolment items open to every user type: prospects can enrol in them beside Staff and Clients, which admins are told to avoid. */
export class SelfEnrolmentWarningsQuery {
  constructor(private readonly catalogue: CataloguePort) {}

  async execute(): Promise<KnowledgeItem[]> {
    const items = await this.catalogue.list();
    return items.filter((i) => i.selfEnrolment && openToEveryType(i.selfEnrolment.openTo));
  }
}
