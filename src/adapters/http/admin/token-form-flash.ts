import type { Request } from 'express';
import { inject, injectable } from 'inversify';
import type { AccessControlPort } from '../../../contract/index.js';
import { ErrorCodes } from '../../../domain/shared/errors.js';
import { TYPES } from '../../../types.js';
import { errorMessage, isKnownErrorCode, messages } from '../shared/messages.js';
import { fieldOf } from '../shared/error-fields.js';

/** The outcome of a token-management form, as the page it returned to shows it. */
export interface Flash {
  /** A success message. */
  readonly ok: string | null;
  /** An error message (from the catalogue, keyed by a known code). */
  readonly error: string | null;
  readonly errorCode: string | null;
  /** Which form the outcome belongs to: `create`, `edit-<id>`, `key`. */
  readonly form: string | null;
  readonly field: string | null;
  /** Every refused field's message, the first included (a form names each problem at once). */
  readonly fieldErrors: Readonly<Record<string, string>>;
  /** Values the person typed, given back so nothing is lost. */
  readonly values: Record<string, string>;
  readonly tokenId: string | null;
}

/** The form-draft store as this needs it (KnexFormDrafts: per session, across instances). */
export interface FormDraftStore {
  save(sessionKey: string | null, form: string, payload: Record<string, unknown>): Promise<string | null>;
  read(sessionKey: string | null, form: string, id: unknown): Promise<Record<string, unknown> | null>;
}

const FORM_RE = /^(create|key|batch|edit-\d{1,18})$/;
const FIELDS = ['nickname', 'customCode', 'expiresOn', 'maxUses', 'name', 'count'] as const;
const draftForm = (form: string): string => `tokens:${form}`;
/** The draft's key for the other refused fields' codes. */
const OTHERS = '__others';

/**
 * The post/redirect/get parameters of the token forms (`selfreg`, `selfreg_error`, `selfreg_form`,
 * `selfreg_token`, `selfreg_draft`): codes and ids only. What was typed into a refused form goes to
 * the form-draft store, readable only from the same session; a taken code is never kept.
 */
@injectable()
export class TokenFormFlash {
  constructor(
    @inject(TYPES.FormDrafts) private readonly drafts: FormDraftStore,
    @inject(TYPES.Access) private readonly access: AccessControlPort,
  ) {}

  /** Parameters for a refused form: the code, the form, and the draft that holds what was typed. */
  async refused(req: Request, code: string, form: string, values: Record<string, string | undefined>, others: readonly string[] = []): Promise<Record<string, string | undefined>> {
    // What was typed is kept (a taken code too: the draft is readable from this session only), with
    // the other refused fields' codes, so the form shows every problem at once.
    const kept: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined || v === '') continue;
      kept[k] = v.slice(0, 200);
    }
    const also = others.filter((c) => isKnownErrorCode(c) && fieldOf(c));
    if (also.length > 0) kept[OTHERS] = also;
    const draft = Object.keys(kept).length > 0 ? await this.drafts.save(this.access.sessionKey(req), draftForm(form), kept) : null;
    return { selfreg_error: code, selfreg_form: form, ...(draft && { selfreg_draft: draft }) };
  }

  /** Reads what a redirect carried (only known codes and messages: never free text as a message). */
  async read(req: Request): Promise<Flash> {
    const query = req.query as Record<string, unknown>;
    const str = (k: string): string | null => (typeof query[k] === 'string' ? (query[k] as string) : null);
    const okKey = str('selfreg');
    const code = str('selfreg_error');
    const formParam = str('selfreg_form');
    const form = formParam && FORM_RE.test(formParam) ? formParam : null;
    const tokenId = str('selfreg_token');
    const known = code && isKnownErrorCode(code) ? code : null;
    const draft = form ? await this.drafts.read(this.access.sessionKey(req), draftForm(form), query.selfreg_draft) : null;
    const fieldErrors: Record<string, string> = {};
    for (const c of [known, ...(Array.isArray(draft?.[OTHERS]) ? (draft![OTHERS] as unknown[]) : [])]) {
      const f = typeof c === 'string' && isKnownErrorCode(c) ? fieldOf(c) : undefined;
      if (f && !fieldErrors[f]) fieldErrors[f] = errorMessage(c as string);
    }
    return {
      ok: okKey && Object.prototype.hasOwnProperty.call(messages.tokenAdmin.flash, okKey) ? messages.tokenAdmin.flash[okKey]! : null,
      error: known ? errorMessage(known) : null,
      errorCode: known,
      form,
      field: code ? fieldOf(code) ?? null : null,
      fieldErrors,
      values: this.values(draft),
      tokenId: tokenId && /^\d{1,18}$/.test(tokenId) ? tokenId : null,
    };
  }

  private values(draft: Record<string, unknown> | null): Record<string, string> {
    const values: Record<string, string> = {};
    for (const f of FIELDS) {
      const v = draft?.[f];
      if (typeof v === 'string') values[f] = v.slice(0, 300);
    }
    return values;
  }
}
