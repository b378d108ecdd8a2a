import { createHash, randomBytes } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { inject, injectable } from 'inversify';
import type { AccessControlPort, HttpPort, Mounted, PanelContext } from '../../../contract/index.js';
import {
  BRANDING_FIELDS, BRANDING_LIMITS, brandingForDisplay, canManageBranding, contrastRatio, MIN_TEXT_CONTRAST, paragraphs,
  type BrandingField, type BrandingInput, type BrandingProblem, type BrandingProblems,
} from '../../../domain/branding/branding.js';
import type { PortalPort } from '../../../domain/ports/host.ports.js';
import { DEFAULT_BRANDING, type Branding } from '../../../domain/ports/repositories.port.js';
import type { BrandingService } from '../../../application/branding/branding.service.js';
import type { CsrfTokens } from '../../crypto/crypto.adapters.js';
import type { Views } from '../../views.js';
import type { LifecycleContribution } from '../../../container/types.js';
import { TYPES } from '../../../container/types.js';
import type { PanelProvider } from './manifest-panels.js';
import { messages } from '../shared/messages.js';
import { brandingForm, safeLocalPath } from '../shared/validation.js';

export const BRANDING_PANEL_ID = 'self-registration.branding';
export const BRANDING_ACTION = '/admin/registration-page';
const ANCHOR = 'self-registration-branding';
const FLASH = 'selfreg_branding';
const DRAFT = 'selfreg_branding_draft';
const HEX = /^#[0-9a-fA-F]{6}$/;
const LOGO_PREVIEWABLE = /^(https:\/\/[^\s"'<>\\`]+|\/(?![/\\])[^\s"'<>\\`]*)$/;

type Values = Record<BrandingField, string>;

interface Draft {
  readonly session: string;
  readonly values: Values;
  readonly problems: BrandingProblems;
  readonly at: number;
}

/**
 * What an admin typed into a refused form, kept for the redirect back (post/redirect/get) so nothing
 * typed is lost: in this process, for 30 minutes, readable only from the session that wrote it.
 * Behind several instances a draft can miss (the page then shows the saved values and the problems).
 */
export class BrandingDrafts {
  private readonly drafts = new Map<string, Draft>();
  constructor(private readonly ttlMs = 30 * 60 * 1000, private readonly max = 200, private readonly now: () => number = Date.now) {}

  save(sessionKey: string | null, values: Values, problems: BrandingProblems): string | null {
    if (!sessionKey) return null;
    this.prune();
    if (this.drafts.size >= this.max) this.drafts.delete(this.drafts.keys().next().value as string);
    const id = randomBytes(18).toString('base64url');
    this.drafts.set(id, { session: digest(sessionKey), values, problems, at: this.now() });
    return id;
  }

  read(sessionKey: string | null, id: unknown): Draft | null {
    if (!sessionKey || typeof id !== 'string') return null;
    const draft = this.drafts.get(id);
    if (!draft || draft.session !== digest(sessionKey) || this.now() - draft.at > this.ttlMs) return null;
    return draft;
  }

  private prune(): void {
    const now = this.now();
    for (const [id, d] of this.drafts) if (now - d.at > this.ttlMs) this.drafts.delete(id);
  }
}

const digest = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/**
 * The "Registration page" panel on the portal settings page: the public page's logo, colours,
 * heading, introduction, terms and privacy links and after-registration message, with a live
 * preview. Super and Standard admins may edit it: they are the people who create and share the
 * tokens that lead to the page (`self-registration:branding.manage`; the use case checks it).
 * Its form posts to /admin/registration-page (CSRF token bound to the admin's session).
 */
@injectable()
export class BrandingPanel implements PanelProvider, LifecycleContribution {
  private mounted: Mounted | null = null;
  private readonly drafts = new BrandingDrafts();

  constructor(
    @inject(TYPES.Http) private readonly http: HttpPort,
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(TYPES.Portal) private readonly portal: PortalPort,
    @inject(TYPES.Csrf) private readonly csrf: CsrfTokens,
    @inject(TYPES.BrandingService) private readonly branding: BrandingService,
    @inject(TYPES.Views) private readonly views: Views,
  ) {}

  panels(): Record<string, (ctx: PanelContext) => Promise<string | null>> {
    return { [BRANDING_PANEL_ID]: (ctx) => this.render(ctx) };
  }

  /** The panel's form posts here. */
  start(): void {
    const router = express.Router();
    router.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 20 }));
    router.post('/', async (req, res) => this.save(req, res));
    this.mounted = this.http.mount(BRANDING_ACTION, router, 'admin');
  }

  stop(): void {
    this.mounted?.unmount();
    this.mounted = null;
  }

  private async render(ctx: PanelContext): Promise<string | null> {
    const current = await this.branding.current(ctx.user);
    if (!current.ok) return null;
    const query = ctx.req.query as Record<string, unknown>;
    const draft = this.drafts.read(this.access.sessionKey(ctx.req), query[DRAFT]);
    const values: Values = draft?.values ?? asValues(current.value);
    const { publicBaseUrl, name } = await this.portal.info();
    return this.views.render('panels/branding', {
      m: messages,
      t: messages.brandingPanel,
      fields: BRANDING_FIELDS,
      values,
      errors: draft ? problemMessages(draft.problems) : {},
      saved: !draft && query[FLASH] === 'saved',
      refused: !!draft || query[FLASH] === 'invalid',
      csrf: this.csrf.issue(this.access.sessionKey(ctx.req)),
      action: BRANDING_ACTION,
      returnTo: withoutFlash(ctx.req.originalUrl),
      registerUrl: `${publicBaseUrl.replace(/\/+$/, '')}/register`,
      portalName: name,
      limits: BRANDING_LIMITS,
      preview: previewModel(values),
    });
  }

  private async save(req: Request, res: Response): Promise<void> {
    const user = await this.access.currentUser(req);
    if (!user) return void res.status(401).type('text/plain').send('Sign in first.');
    if (!canManageBranding(user)) return void res.status(403).type('text/plain').send(messages.errors['PERMISSION.DENIED']);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const sessionKey = this.access.sessionKey(req);
    if (!this.csrf.verify(sessionKey, body._csrf)) return void res.status(403).type('text/plain').send(messages.tokenAdmin.csrfExpired);
    const back = safeLocalPath(body.returnTo, '/');
    const values = readValues(body);
    const parsed = brandingForm.safeParse(values);
    const input: BrandingInput = parsed.success ? parsed.data : values;
    // Anything over the edge's size limit is refused as too long, field by field.
    const oversized: BrandingProblems = parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), 'length' as const]));
    const updated = Object.keys(oversized).length === 0 ? await this.branding.update(user, input) : null;
    if (updated?.ok) return void res.redirect(303, withParams(back, { [FLASH]: 'saved' }));
    if (updated && updated.error.code === 'PERMISSION.DENIED') return void res.status(403).type('text/plain').send(messages.errors['PERMISSION.DENIED']);
    const problems = updated && 'problems' in updated.error ? updated.error.problems : oversized;
    const kept: Values = { ...values };
    for (const f of BRANDING_FIELDS) kept[f] = kept[f].slice(0, 10_000);
    const id = this.drafts.save(sessionKey, kept, problems);
    res.redirect(303, withParams(back, id ? { [DRAFT]: id } : { [FLASH]: 'invalid' }));
  }
}

function readValues(body: Record<string, unknown>): Values {
  const out = {} as Values;
  for (const f of BRANDING_FIELDS) out[f] = typeof body[f] === 'string' ? (body[f] as string) : '';
  return out;
}

function asValues(b: Branding): Values {
  const out = {} as Values;
  for (const f of BRANDING_FIELDS) out[f] = b[f] ?? '';
  return out;
}

export function problemMessage(field: BrandingField, problem: BrandingProblem): string {
  const t = messages.brandingPanel;
  switch (problem) {
    case 'contrast':
      return t.lowContrast;
    case 'length':
      return t.tooLong(field === 'heading' ? BRANDING_LIMITS.heading : field === 'introduction' ? BRANDING_LIMITS.introduction : field === 'successMessage' ? BRANDING_LIMITS.successMessage : BRANDING_LIMITS.url);
    default:
      return t.fields[field].invalid;
  }
}

function problemMessages(problems: BrandingProblems): Partial<Record<BrandingField, string>> {
  const out: Partial<Record<BrandingField, string>> = {};
  for (const f of BRANDING_FIELDS) {
    const p = problems[f];
    if (p) out[f] = problemMessage(f, p);
  }
  return out;
}

/** The preview as the server first draws it; the script keeps it in step while the admin types. */
function previewModel(values: Values) {
  const shown = brandingForDisplay({
    ...DEFAULT_BRANDING,
    ...Object.fromEntries(BRANDING_FIELDS.map((f) => [f, values[f] === '' ? null : values[f]])),
  });
  const primary = HEX.test(values.primaryColour.trim()) ? values.primaryColour.trim().toLowerCase() : DEFAULT_BRANDING.primaryColour;
  const accent = HEX.test(values.accentColour.trim()) ? values.accentColour.trim().toLowerCase() : DEFAULT_BRANDING.accentColour;
  const ratio = contrastRatio(primary, '#ffffff');
  return {
    style: `--selfreg-b-primary:${primary};--selfreg-b-accent:${accent}`,
    primarySwatch: HEX.test(values.primaryColour.trim()) ? primary : null,
    accentSwatch: HEX.test(values.accentColour.trim()) ? accent : null,
    contrast: { ratio: ratio.toFixed(1), ok: ratio >= MIN_TEXT_CONTRAST },
    logoUrl: LOGO_PREVIEWABLE.test(values.logoUrl.trim()) ? values.logoUrl.trim() : null,
    heading: values.heading.trim() || messages.register.heading,
    introduction: shown.introduction ? paragraphs(shown.introduction) : [[messages.register.intro]],
    consent: values.termsUrl.trim() !== '' || values.privacyUrl.trim() !== '',
    consentLabel: values.termsUrl.trim() !== '' && values.privacyUrl.trim() === '' ? messages.registration.consent.labelTerms
      : values.termsUrl.trim() === '' && values.privacyUrl.trim() !== '' ? messages.registration.consent.labelPrivacy : messages.registration.consent.label,
    successMessage: shown.successMessage ? paragraphs(shown.successMessage) : [[messages.register.doneBody]],
  };
}

function withoutFlash(pathWithQuery: string): string {
  const url = new URL(pathWithQuery.split('#')[0] ?? '/', 'http://local.invalid');
  url.searchParams.delete(FLASH);
  url.searchParams.delete(DRAFT);
  return url.pathname + url.search;
}

function withParams(pathWithQuery: string, params: Record<string, string>): string {
  const url = new URL(withoutFlash(pathWithQuery), 'http://local.invalid');
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return `${url.pathname}${url.search}#${ANCHOR}`;
}
