import type { Response } from 'express';
import { inject, injectable } from 'inversify';
import type { AccessControlPort } from '../../../contract/index.js';
import type { PortalFacts } from '../../../domain/ports/portal-facts.port.js';
import type { Views } from '../../views.js';
import { TYPES } from '../../../types.js';
import { messages } from '../shared/messages.js';
import { AdminPaths } from './admin-paths.js';
import { hostLinks } from './host-links.js';

/** Full pages in the plugin's own admin layout (Tokens, Activity, confirmations, messages), linking back into the host. */
@injectable()
export class AdminPages {
  constructor(
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(TYPES.PortalFacts) private readonly portal: PortalFacts,
    @inject(TYPES.Views) private readonly views: Views,
    @inject(AdminPaths) private readonly paths: AdminPaths,
  ) {}

  async page(res: Response, status: number, view: string, title: string, data: Record<string, unknown>): Promise<void> {
    const portal = await this.portal.info();
    res.status(status).send(
      await this.views.render(view, {
        m: messages,
        t: messages.tokenAdmin,
        title,
        portalName: portal.name,
        nav: { tokens: this.paths.tokens, activity: this.paths.activity, reports: this.paths.usageReport, portalSettings: this.links().portalSettings() },
        ...data,
      }),
    );
  }

  async message(res: Response, status: number, title: string, body: string): Promise<void> {
    await this.page(res, status, 'admin/message', title, { body });
  }

  /** Links into the host; without its portal settings page, the Tokens page (which shows the switch too). */
  links() {
    return hostLinks(this.access, this.paths.tokens);
  }
}
