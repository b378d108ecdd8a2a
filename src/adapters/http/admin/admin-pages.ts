import type { Response } from 'express';
import { inject, injectable } from 'inversify';
import type { AccessControlPort, LayoutPort } from '../../../contract/index.js';
import type { FeaturesPort } from '../../../domain/ports/features.port.js';
import type { PortalFacts } from '../../../domain/ports/portal-facts.port.js';
import type { Views } from '../../views.js';
import { TYPES } from '../../../types.js';
import { messages } from '../shared/messages.js';
import { AdminPaths } from './admin-paths.js';
import { hostLinks } from './host-links.js';

/** What the plugin's admin pages need in the host's <head> when the host frames them. */
const FRAMED_HEAD = '<link rel="stylesheet" href="/self-registration/assets/panel.css">\n<script src="/self-registration/assets/panel.js" defer></script>';

/**
 * Full pages (Tokens, Activity, confirmations, messages): framed in the host's own layout when the
 * host offers one (contract 1.1), else in the plugin's own small admin layout linking back into the host.
 */
@injectable()
export class AdminPages {
  constructor(
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(TYPES.PortalFacts) private readonly portal: PortalFacts,
    @inject(TYPES.Views) private readonly views: Views,
    @inject(AdminPaths) private readonly paths: AdminPaths,
    @inject(TYPES.Layout) private readonly layout: LayoutPort | null,
    @inject(TYPES.Features) private readonly features: FeaturesPort,
  ) {}

  async page(res: Response, status: number, view: string, title: string, data: Record<string, unknown>): Promise<void> {
    const portal = await this.portal.info();
    const framed = this.layout !== null && this.features.enabled('admin.host-layout');
    const html = await this.views.render(view, {
      m: messages,
      t: messages.tokenAdmin,
      title,
      portalName: portal.name,
      framed,
      nav: { tokens: this.paths.tokens, activity: this.paths.activity, reports: this.paths.usageReport, portalSettings: this.links().portalSettings() },
      ...data,
    });
    if (!framed) return void res.status(status).send(html);
    res.status(status).type('html').send(await this.layout!.frame(res.req, { title: `${title} · ${messages.tokenAdmin.heading}`, head: FRAMED_HEAD, main: html }));
  }

  async message(res: Response, status: number, title: string, body: string): Promise<void> {
    await this.page(res, status, 'admin/message', title, { body });
  }

  /** Links into the host; without its portal settings page, the Tokens page (which shows the switch too). */
  links() {
    return hostLinks(this.access, this.paths.tokens);
  }
}
