import type { Request, Response, Router } from 'express';
import { inject, injectable } from 'inversify';
import { BRANDING_FIELDS, type BrandingInput, type BrandingProblems } from '../../../domain/branding/branding.js';
import type { FormDraftStore } from '../../../domain/ports/form-drafts.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../../domain/ports/permissions.port.js';
import type { HostUser } from '../../../domain/shared/user.js';
import { SaveBranding } from '../../../application/branding/save-branding.use-case.js';
import { TYPES } from '../../../types.js';
import { messages } from '../shared/messages.js';
import { withFlash } from '../shared/post-redirect-get.js';
import { brandingForm } from '../shared/validation.js';
import { brandingValues, type BrandingValues } from './branding-preview.js';
import { forbidden, PanelFormGate } from './panel-form-gate.js';

export const BRANDING_ROUTE = 'branding-form';
/** The draft store's name for this form. */
export const BRANDING_FORM = 'branding';
export const BRANDING_ANCHOR = 'self-registration-branding';
/** Flash parameters: `saved` / `invalid`, or the id of the refused form's draft. */
export const BRANDING_FLASH = 'selfreg_branding';
export const BRANDING_DRAFT = 'selfreg_branding_draft';
/** What is kept of each field of a refused form: more than any valid one holds, but bounded. */
const DRAFT_FIELD_LIMIT = 10_000;

const denied = messages.errors['PERMISSION.DENIED'];

/**
 * The Registration page panel's form: Super and Standard admins save the page's branding, then back
 * to the panel (post/redirect/get). A refused form's values and problems go to the draft store.
 */
@injectable()
export class BrandingForm {
  constructor(
    @inject(PanelFormGate) private readonly gate: PanelFormGate,
    @inject(SaveBranding) private readonly saveBranding: SaveBranding,
    @inject(TYPES.FormDrafts) private readonly drafts: FormDraftStore,
    @inject(TYPES.Permissions) private readonly permissions: PermissionsPort,
  ) {}

  contribute(router: Router): void {
    router.post('/', ...this.gate.body, (req: Request, res: Response) => this.save(req, res));
  }

  private async save(req: Request, res: Response): Promise<void> {
    const allowed = (u: HostUser) => this.permissions.allows(PERMISSION_IDS.brandingManage, u);
    const user = await this.gate.admit(req, res, { signInText: 'Sign in first.', allowed, deniedText: denied });
    if (!user) return;
    const back = this.gate.back(req);
    const values = brandingValues((req.body ?? {}) as Record<string, unknown>);
    const parsed = brandingForm.safeParse(values);
    const input: BrandingInput = parsed.success ? parsed.data : values;
    // Anything over the edge's size limit is refused as too long, field by field.
    const oversized: BrandingProblems = parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), 'length' as const]));
    const updated = Object.keys(oversized).length === 0 ? await this.saveBranding.execute(user, input) : null;
    if (updated?.ok) return void res.redirect(303, withFlash(back, { [BRANDING_FLASH]: updated.value.logo === 'unchecked' ? 'savedUnchecked' : 'saved' }, BRANDING_ANCHOR));
    if (updated && updated.error.code === 'PERMISSION.DENIED') return forbidden(res, denied);
    const problems = updated && 'problems' in updated.error ? updated.error.problems : oversized;
    const kept: BrandingValues = { ...values };
    for (const f of BRANDING_FIELDS) kept[f] = kept[f].slice(0, DRAFT_FIELD_LIMIT);
    const id = await this.drafts.save(this.gate.sessionKey(req), BRANDING_FORM, { values: kept, problems });
    res.redirect(303, withFlash(back, id ? { [BRANDING_DRAFT]: id } : { [BRANDING_FLASH]: 'invalid' }, BRANDING_ANCHOR));
  }
}
