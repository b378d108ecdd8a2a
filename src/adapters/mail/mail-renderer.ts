import type { MailTemplate } from '../../domain/ports/repositories.port.js';
import type { PortalInfo } from '../../domain/ports/host.ports.js';
import { knowledgeTypeLabel, isKnowledgeType } from '../../domain/knowledge.js';
import type { Views } from '../views.js';

export interface RenderedMail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/** Header values never carry line breaks, whatever an admin typed into a title or name. */
export const headerSafe = (value: string): string => value.replace(/[\r\n\u2028\u2029]+/g, ' ').trim().slice(0, 250);

const SUBJECTS: Record<MailTemplate, (portal: PortalInfo, data: Record<string, unknown>) => string> = {
  invitation: (portal) => `Your ${portal.name} account: set your password`,
  'sign-in-link': (portal) => `Your sign-in link for ${portal.name}`,
};

/** Renders both parts of a message from views/emails/<template>.html.ejs and .text.ejs. */
export class MailRenderer {
  constructor(private readonly views: Views) {}

  async render(template: MailTemplate, data: Record<string, unknown>, portal: PortalInfo): Promise<RenderedMail> {
    const itemType = isKnowledgeType(data.itemType) ? knowledgeTypeLabel(data.itemType).toLowerCase() : 'training';
    const model = { ...data, itemTypeLabel: itemType, portal: { name: portal.name, baseUrl: portal.publicBaseUrl } };
    const [html, text] = await Promise.all([
      this.views.render(`emails/${template}.html`, model),
      this.views.render(`emails/${template}.text`, model),
    ]);
    return { subject: headerSafe(SUBJECTS[template](portal, data)), html, text };
  }
}
