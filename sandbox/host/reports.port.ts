/*
 * The reports port (contract 1.1): keeps the contributors the plugin hands over, in order. The
 * sandbox's item reports (sandbox/reports/) ask each of them for its columns, filters and values.
 */
import type { Logger } from 'pino';
import type { ReportContributor, ReportsPort } from '../../src/contract/index.js';

export class ReportContributors {
  private readonly list: ReportContributor[] = [];

  constructor(private readonly log: Logger) {}

  readonly port: ReportsPort = {
    contribute: (contributor) => {
      if (!contributor || typeof contributor.describe !== 'function' || typeof contributor.values !== 'function' || typeof contributor.usersMatching !== 'function') {
        throw new TypeError('A report contributor needs describe(), values() and usersMatching()');
      }
      this.list.push(contributor);
      this.log.debug({ contributors: this.list.length }, 'Report contributor added');
      return () => {
        const index = this.list.indexOf(contributor);
        if (index >= 0) this.list.splice(index, 1);
      };
    },
  };

  /** The contributors now, in the order they came. */
  all(): readonly ReportContributor[] {
    return [...this.list];
  }
}
