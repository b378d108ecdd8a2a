import type { Request, Response } from 'express';
import { inject, injectable } from 'inversify';
import { paragraphs, textColourOn } from '../../../domain/branding/branding.js';
import { knowledgeTypeLabel, type KnowledgeItem } from '../../../domain/shared/knowledge.js';
import type { HostUser } from '../../../domain/shared/user.js';
import { PublicLookQuery, type PublicLook } from '../../../application/branding/public-look.query.js';
import type { RegistrationContext } from '../../../application/registration/registration-outcomes.js';
import type { Views } from '../../views.js';
import { TYPES } from '../../../types.js';
import { errorMessage, messages } from '../shared/messages.js';
import { safeLocalPath } from '../shared/validation.js';

export type Values = Record<string, string>;
export type PageLink = { readonly href: string; readonly label: string };

/**
 * Renders the public pages, branded: any view, the message page, "too many attempts", "registration
 * unavailable", "no seats left" and "check your inbox". Every page goes out uncached as it is.
 */
@injectable()
export class PublicPages {
  constructor(
    @inject(PublicLookQuery) private readonly publicLook: PublicLookQuery,
    @inject(TYPES.Views) private readonly views: Views,
  ) {}

  /** The registration page's branding as visitors see it (cached briefly). */
  look(): Promise<PublicLook> {
    return this.publicLook.execute();
  }

  async html(view: string, model: Record<string, unknown>, look?: PublicLook): Promise<string> {
    const brand = brandView(look ?? (await this.publicLook.execute()));
    return this.views.render(view, { m: messages, brand, ...model });
  }

  async page(res: Response, status: number, view: string, model: Record<string, unknown>, look?: PublicLook): Promise<void> {
    send(res, status, await this.html(view, model, look));
  }

  /** A message page; `contact` adds whom to ask (the portal's name and primary contact). */
  async message(res: Response, status: number, title: string, body: string[], link: PageLink | null, contact = false, notice: string | null = null): Promise<void> {
    const look = await this.publicLook.execute();
    return this.page(res, status, 'public/message', { title, body, notice, contact: contact ? contactOf(look) : null, link }, look);
  }

  /** "Check your inbox", naming the address typed and offering to send the mail again (the same request, posted again). */
  done(res: Response, sent: SentTo | null = null): Promise<void> {
    return this.page(res, 200, 'public/registered', { sent });
  }

  unavailable(res: Response, status: number): Promise<void> {
    return this.message(res, status, messages.registration.unavailableTitle, [messages.registration.unavailableBody], null);
  }

  /**
   * No seat for a new account. Every email gets this same page (whether it is known must not show),
   * so it is written to be true for both: a new person learns there is no place, the owner of an
   * existing account (who needs no seat) that their sign-in link or invitation is on its way.
   */
  async noSeats(res: Response): Promise<void> {
    const look = await this.publicLook.execute();
    const body = [messages.registration.seatsBody(look.portalName), messages.registration.seatsKnown];
    return this.page(res, 422, 'public/message', { title: messages.registration.seatsTitle, body, notice: null, contact: contactOf(look), link: null }, look);
  }

  /**
   * An emailed link signed the person in, but its token could no longer enrol them (it was used up,
   * disabled, expired or withdrawn since the mail): said plainly, with whom to ask, on this page
   * rather than the host's refusal of the item.
   */
  notEnrolled(res: Response, itemTitle: string, code: string): Promise<void> {
    const r = messages.registration;
    const reason = r.notEnrolledReason[code] ?? r.notEnrolledReason['TOKEN.NOT_RECOGNISED']!;
    return this.publicLook.execute().then((look) =>
      this.page(res, 200, 'public/message', {
        title: r.notEnrolledTitle, body: [r.notEnrolledBody(itemTitle), reason], notice: null, contact: contactOf(look), link: { href: '/', label: r.toPortal(look.portalName) },
      }, look));
  }

  /** A token that exists but can no longer be used: why, whom to ask, and the way to another token. No form below it. */
  tokenProblem(res: Response, status: number, code: string, link: PageLink): Promise<void> {
    return this.message(res, status, messages.registration.tokenProblemTitle, [], link, true, errorMessage(code));
  }

  /** A signed-in visitor already enrolled in the token's item: open it, rather than register again. */
  alreadyEnrolled(res: Response, item: KnowledgeItem, user: HostUser): Promise<void> {
    return this.page(res, 200, 'public/enrolled', { item: itemView(item), signedIn: person(user), href: safeLocalPath(item.learnerUrl) });
  }

  tooMany(res: Response, retryAfterSeconds: number): Promise<void> {
    res.set('Retry-After', String(retryAfterSeconds));
    return this.page(res, 429, 'public/too-many', { wait: messages.registration.waitFor(retryAfterSeconds) });
  }
}

/**
 * Sends a page as it is: these pages are never cached, so no ETag is computed for them. The length is
 * set explicitly so every visitor gets the same headers (a host's session middleware that wraps
 * `res.end` would otherwise switch signed-in visitors to chunked encoding).
 */
export function send(res: Response, status: number, html: string): void {
  const body = Buffer.from(html, 'utf8');
  res.status(status).set({ 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(body.length) }).end(body);
}

type BrandView = ReturnType<typeof buildBrandView>;
const brandViews = new WeakMap<PublicLook, BrandView>();

/** Everything the templates need from the branding, ready to print; built once per (cached) look. */
function brandView(look: PublicLook): BrandView {
  let view = brandViews.get(look);
  if (!view) brandViews.set(look, (view = buildBrandView(look)));
  return view;
}

/** Colours are validated #rrggbb, so they may go into the style attribute. */
function buildBrandView(look: PublicLook) {
  const b = look.branding;
  return {
    portalName: look.portalName,
    logoUrl: b.logoUrl,
    heading: b.heading,
    introduction: paragraphs(b.introduction),
    successMessage: paragraphs(b.successMessage),
    termsUrl: b.termsUrl,
    privacyUrl: b.privacyUrl,
    style: `--selfreg-primary:${b.primaryColour};--selfreg-accent:${b.accentColour};--selfreg-on-accent:${textColourOn(b.accentColour)}`,
  };
}

/** Whom a registrant is told to ask: the portal and its primary contact (`portal.info()`). */
const contactOf = (look: PublicLook) => ({ name: look.portalName, email: look.contactEmail });

/** The "check your inbox" page's details: the address typed, and the fields that post the same request again. */
export interface SentTo {
  readonly email: string;
  readonly resend: Values;
  /** Back to the form, with the code filled in when it reads as one. */
  readonly back: string;
}

export const itemView = (item: KnowledgeItem) => ({ title: item.title, type: knowledgeTypeLabel(item.ref.type) });
export const person = (user: HostUser) => ({ name: `${user.firstName} ${user.lastName}`.trim(), email: user.email });
/** The visitor's address is `req.ip`: the host app's `trust proxy` setting decides whether X-Forwarded-For is believed. */
export const requestContext = (req: Request): RegistrationContext => ({ ip: req.ip ?? req.socket.remoteAddress ?? null });
export const clip = (value: unknown): string => String(value ?? '').slice(0, 80);

/** Only the named string fields of a posted body. */
export function pick(body: Record<string, unknown>, keys: readonly string[]): Values {
  const out: Values = {};
  for (const k of keys) if (typeof body[k] === 'string') out[k] = body[k] as string;
  return out;
}
