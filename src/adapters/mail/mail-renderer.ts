import type { Branding } from '../../domain/branding/branding-settings.js';
import { isMixedScript } from '../../domain/shared/email-address.js';
import type { MailTemplate } from '../../domain/mail/outgoing-mail.js';
import type { PortalInfo } from '../../domain/shared/portal-info.js';
import { knowledgeTypeLabel, isKnowledgeType } from '../../domain/shared/knowledge.js';
import { emailBranding, type EmailBranding } from '../../domain/branding/email-branding.js';
import { formatLocalDateTime, formatLocalDay, formatLocalTime } from '../../domain/notifications/digest.js';
import { isValidTimeZone, safeTimeZone } from '../../domain/shared/time-zone.js';
import { publicLink } from '../../domain/notifications/notification-settings.js';
import { TemplateRenderer } from '../views/template-renderer.js';
import { RenderError } from './delivery-policy.js';

export interface RenderedMail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/** Header values never carry line breaks, whatever an admin typed into a title or name. */
export const headerSafe = (value: string): string => value.replace(/[\r\n\u2028\u2029]+/g, ' ').trim().slice(0, 250);

/** A title for a header: one line, at most `max` characters (an ellipsis shows it was cut). */
const short = (value: unknown, max = 80): string => {
  const text = headerSafe(typeof value === 'string' ? value : '');
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
};

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/*
 * Subjects carry the portal's name and admin-made titles only — never a registrant's name: nothing a
 * visitor typed reaches a header. Every subject still goes through headerSafe.
 */
const SUBJECTS: Record<MailTemplate, (portal: PortalInfo, data: Record<string, unknown>) => string> = {
  invitation: (portal) => `Your ${portal.name} account: set your password`,
  'sign-in-link': (portal) => `Your sign-in link for ${portal.name}`,
  'admin-notification': (_portal, data) => `New registration for “${short(data.itemTitle)}”`,
  'admin-digest': (_portal, data) => {
    const n = Array.isArray(data.entries) ? data.entries.length : 0;
    const day = typeof data.day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(data.day) ? formatLocalDay(data.day) : '';
    return `${Number(data.part) > 1 ? 'More registrations' : 'Daily digest'}: ${plural(n, 'registration', 'registrations')} for “${short(data.itemTitle)}”${day ? ` on ${day}` : ''}`;
  },
  'seat-limit-alert': (portal) => `${portal.name}: no seats left, registrations are being turned away`,
  'webhook-disabled': (portal) => `${portal.name}: a webhook endpoint was disabled`,
};

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

const when = (iso: unknown, timeZone: string): { when: string; time: string } => {
  const at = new Date(str(iso));
  return Number.isNaN(at.getTime()) ? { when: '', time: '' } : { when: formatLocalDateTime(at, timeZone), time: formatLocalTime(at, timeZone) };
};

/*
 * Display values computed at send time from the stored data: times in the portal's time zone,
 * links under the configured public base URL (a link that is not is dropped, not sent).
 */
const VIEW_MODELS: Partial<Record<MailTemplate, (data: Record<string, unknown>, portal: PortalInfo, timeZone: string) => Record<string, unknown>>> = {
  'admin-notification': (data, portal, timeZone) => {
    const registrant = (data.registrant ?? {}) as Record<string, unknown>;
    return {
      registrant: { firstName: str(registrant.firstName), lastName: str(registrant.lastName), email: str(registrant.email), mixedScript: isMixedScript(str(registrant.email)) },
      newUser: data.newUser === true,
      tokenNickname: str(data.tokenNickname) || null,
      ...when(data.at, timeZone),
      reportLink: publicLink(portal.publicBaseUrl, data.reportUrl),
      reportKind: data.reportKind === 'report' ? 'report' : 'item',
    };
  },
  'seat-limit-alert': (data, _portal, timeZone) => ({
    dayLabel: /^\d{4}-\d{2}-\d{2}$/.test(str(data.day)) ? formatLocalDay(str(data.day)) : str(data.day),
    timeZone: isValidTimeZone(data.timeZone) ? data.timeZone : timeZone,
    ...when(data.at, isValidTimeZone(data.timeZone) ? data.timeZone : timeZone),
  }),
  'webhook-disabled': (data, _portal, timeZone) => ({ ...when(data.at, timeZone), description: str(data.description) || null }),
  'admin-digest': (data, portal, timeZone) => {
    const zone = isValidTimeZone(data.timeZone) ? data.timeZone : timeZone;
    const entries = (Array.isArray(data.entries) ? data.entries : []).map((raw) => {
      const e = (raw ?? {}) as Record<string, unknown>;
      return {
        firstName: str(e.firstName), lastName: str(e.lastName), email: str(e.email), mixedScript: isMixedScript(str(e.email)), newUser: e.newUser === true,
        tokenNickname: str(e.tokenNickname) || null, ...when(e.at, zone),
      };
    });
    return {
      entries,
      newUsers: entries.filter((e) => e.newUser).length,
      dayLabel: /^\d{4}-\d{2}-\d{2}$/.test(str(data.day)) ? formatLocalDay(str(data.day)) : '',
      timeZone: zone,
      part: Number(data.part) > 1 ? Number(data.part) : 1,
      reportLink: publicLink(portal.publicBaseUrl, data.reportUrl),
      reportKind: data.reportKind === 'report' ? 'report' : 'item',
    };
  },
};

/**
 * Renders both parts of a message from views/emails/<template>.html.ejs and .text.ejs, in the
 * portal's name and branding colours (validated again here: only #rrggbb colours, only an http(s) logo;
 * a logo given as a site path is made absolute with the configured public base URL).
 */
export class MailRenderer {
  /** The worker reads the branding once per batch: its checked form is computed once per read (and base URL). */
  private readonly brands = new WeakMap<object, { readonly baseUrl: string; readonly brand: EmailBranding }>();
  private readonly noBranding = emailBranding(null);

  /**
   * `templates` is the plugin's one template renderer (views/emails/<template>.html.ejs and .text.ejs,
   * partials under views/emails/partials/); it compiles each part once and keeps it.
   */
  constructor(private readonly templates: TemplateRenderer = new TemplateRenderer()) {}

  private brandingFor(branding: Partial<Branding> | null | undefined, baseUrl: string): EmailBranding {
    if (!branding) return this.noBranding;
    const known = this.brands.get(branding);
    if (known && known.baseUrl === baseUrl) return known.brand;
    const brand = emailBranding(branding, baseUrl);
    this.brands.set(branding, { baseUrl, brand });
    return brand;
  }

  async render(template: MailTemplate, data: Record<string, unknown>, portal: PortalInfo, branding?: Partial<Branding> | null): Promise<RenderedMail> {
    try {
      const subjectOf = SUBJECTS[template];
      if (!subjectOf) throw new Error(`Unknown mail template "${template}"`);
      const itemType = isKnowledgeType(data.itemType) ? knowledgeTypeLabel(data.itemType).toLowerCase() : 'training';
      const timeZone = safeTimeZone(portal.timeZone);
      const brand: EmailBranding = this.brandingFor(branding, portal.publicBaseUrl);
      const model = {
        ...data,
        ...(VIEW_MODELS[template]?.(data, portal, timeZone) ?? {}),
        itemTypeLabel: itemType,
        portal: { name: portal.name, baseUrl: portal.publicBaseUrl.replace(/\/+$/, '') },
        brand,
      };
      const html = this.templates.renderNow(`emails/${template}.html`, model);
      const text = this.templates.renderNow(`emails/${template}.text`, model);
      return { subject: headerSafe(subjectOf(portal, data)), html, text: tidyText(text) };
    } catch (e) {
      throw new RenderError(`Could not render the ${template} email: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/** Plain-text parts: no trailing spaces, at most one blank line in a row (templates stay readable). */
function tidyText(text: string): string {
  return text.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim() + '\n';
}
