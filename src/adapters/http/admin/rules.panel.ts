import type { Request, Response, Router } from 'express';
import { inject, injectable } from 'inversify';
import type { AccessControlPort, PanelContext } from '../../../contract/index.js';
import type { ApplyRuleUseCase } from '../../../application/rules/apply-rule.use-case.js';
import type { CreateRuleUseCase } from '../../../application/rules/create-rule.use-case.js';
import type { DeleteRuleUseCase } from '../../../application/rules/delete-rule.use-case.js';
import type { DryRunResult, DryRunRuleQuery } from '../../../application/rules/dry-run-rule.query.js';
import type { ListRulesQuery } from '../../../application/rules/list-rules.query.js';
import type { RulesPanelQuery, RulesPanelView } from '../../../application/rules/rules-panel.query.js';
import type { UpdateRuleUseCase } from '../../../application/rules/update-rule.use-case.js';
import type { EnrolmentRule, RuleRefusals } from '../../../domain/rules/enrolment-rule.js';
import { PERMISSION_IDS } from '../../../domain/ports/permissions.port.js';
import type { PortalFacts } from '../../../domain/ports/portal-facts.port.js';
import type { Routes } from '../../../manifest/routes.js';
import { TYPES } from '../../../types.js';
import type { CsrfTokens } from '../../crypto/crypto.adapters.js';
import type { Views } from '../../views.js';
import { errorMessage, messages } from '../shared/messages.js';
import { returnPath, withFlash } from '../shared/post-redirect-get.js';
import type { SettingsPanel } from '../shared/settings-panel.js';
import { AdminGate } from './admin-gate.js';
import { AdminPages } from './admin-pages.js';
import { bodyOf, ID_RE, userOf } from './admin-request.js';
import { formatDateTime } from './portal-time-format.js';
import { EMPTY_FORM, fieldErrors, formOfBody, formOfRule, inputOfForm, itemOptions, type RuleFormValues } from './rule-form.js';
import { ruleLine, runLine } from './rule-lines.js';

const ANCHOR = 'self-registration-rules';

/**
 * The portal's Enrolment rules panel (Super and Standard admins): a warning about self-enrolment
 * items open to every user type, the rules with their latest run, and a form for a new rule. Its
 * forms post under the manifest's `admin` route (CSRF-checked by AdminGate); a saved rule goes
 * straight to its dry run (/rules/<id>/dry-run), where Apply starts the run and its progress shows.
 */
@injectable()
export class RulesPanel implements SettingsPanel {
  readonly id = 'self-registration.rules';
  readonly route = 'admin';

  constructor(
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(TYPES.PortalFacts) private readonly portal: PortalFacts,
    @inject(TYPES.Csrf) private readonly csrf: CsrfTokens,
    @inject(TYPES.Views) private readonly views: Views,
    @inject(TYPES.Routes) private readonly routes: Routes,
    @inject(TYPES.RulesPanelQuery) private readonly panel: RulesPanelQuery,
    @inject(TYPES.ListRulesQuery) private readonly rules: ListRulesQuery,
    @inject(TYPES.CreateRuleUseCase) private readonly createRule: CreateRuleUseCase,
    @inject(TYPES.UpdateRuleUseCase) private readonly updateRule: UpdateRuleUseCase,
    @inject(TYPES.DeleteRuleUseCase) private readonly deleteRule: DeleteRuleUseCase,
    @inject(TYPES.DryRunRuleQuery) private readonly dryRun: DryRunRuleQuery,
    @inject(TYPES.ApplyRuleUseCase) private readonly applyRule: ApplyRuleUseCase,
    @inject(AdminGate) private readonly gate: AdminGate,
    @inject(AdminPages) private readonly pages: AdminPages,
  ) {}

  private get base(): string {
    return this.routes.path('admin', 'rules');
  }

  private rulePath(id: string): string {
    return this.routes.path('admin', 'rule', { id });
  }

  private dryRunPath(id: string): string {
    return this.routes.path('admin', 'ruleDryRun', { id });
  }

  async render(ctx: PanelContext): Promise<string | null> {
    const view = await this.panel.execute(ctx.user);
    if (!view.ok) return null;
    const q = ctx.req.query as Record<string, unknown>;
    return this.views.render('panels/rules', {
      ...(await this.common(view.value, this.access.sessionKey(ctx.req))),
      returnTo: returnPath(ctx.req.originalUrl),
      flash: typeof q.selfreg_rules === 'string' ? messages.rules.flash[q.selfreg_rules] ?? null : null,
      flashError: typeof q.selfreg_rules_error === 'string' ? errorMessage(q.selfreg_rules_error) : null,
      form: EMPTY_FORM, errors: {}, action: this.base, submit: messages.rules.create,
    });
  }

  contribute(router: Router): void {
    const gate = this.gate.requires(PERMISSION_IDS.rulesManage);
    router.post('/rules', gate, (req, res) => this.create(req, res));
    router.get('/rules/:id', gate, (req, res) => this.editPage(req, res));
    router.post('/rules/:id', gate, (req, res) => this.update(req, res));
    router.post('/rules/:id/switch', gate, (req, res) => this.switch(req, res));
    router.post('/rules/:id/delete', gate, (req, res) => this.remove(req, res));
    router.get('/rules/:id/dry-run', gate, (req, res) => this.dryRunPage(req, res));
    router.post('/rules/:id/apply', gate, (req, res) => this.apply(req, res));
  }

  private async common(view: RulesPanelView, sessionKey: string | null) {
    const { timeZone } = await this.portal.info();
    const titleOf = (type: string, id: string) => view.items.find((i) => i.ref.type === type && i.ref.id === id)?.title ?? `${type} ${id}`;
    return {
      m: messages, r: messages.rules, available: view.available, csrf: this.csrf.issue(sessionKey),
      warnings: view.warnings.map((i) => i.title),
      items: itemOptions(view.items),
      rules: view.rules.map(({ rule, lastRun }) => ({
        ...ruleLine(rule, titleOf), run: runLine(lastRun, (d) => formatDateTime(d, timeZone)),
        editUrl: this.rulePath(rule.id), dryRunUrl: this.dryRunPath(rule.id), switchAction: `${this.rulePath(rule.id)}/switch`, deleteAction: `${this.rulePath(rule.id)}/delete`,
      })),
    };
  }

  private portalSettings(): string {
    return this.pages.links().portalSettings();
  }

  /** The rule form on a page of its own: to change a rule, or when a new one was refused (what was typed is kept). */
  private async formPage(
    req: Request, res: Response, status: number, form: RuleFormValues, errors: Record<string, string>, rule: EnrolmentRule | null, preview: DryRunResult | null = null,
  ): Promise<void> {
    const view = await this.panel.execute(userOf(res));
    if (!view.ok) return this.pages.message(res, 403, messages.tokenAdmin.deniedTitle, errorMessage(view.error.code));
    await this.pages.page(res, status, 'admin/rule-form-page', rule ? messages.rules.editHeading : messages.rules.newHeading, {
      ...(await this.common(view.value, this.access.sessionKey(req))),
      form, errors, action: rule ? this.rulePath(rule.id) : this.base, submit: rule ? messages.rules.save : messages.rules.create,
      returnTo: this.portalSettings(), backUrl: `${this.portalSettings()}#${ANCHOR}`, preview,
    });
  }

  /** "Preview": the dry run of the form's rule as typed, nothing saved; the form stays as it was for Save. */
  private async preview(req: Request, res: Response, form: RuleFormValues, id: string | null): Promise<void> {
    const dry = await this.dryRun.preview(userOf(res), inputOfForm(form), id ?? undefined);
    const rule = id ? ({ id } as EnrolmentRule) : null;
    if (!dry.ok) return this.refused(req, res, form, dry.error, rule);
    await this.formPage(req, res, 200, form, {}, rule, dry.value);
  }

  private refused(req: Request, res: Response, form: RuleFormValues, refusal: RuleRefusals, rule: EnrolmentRule | null): Promise<void> {
    if (refusal.code === 'PERMISSION.DENIED' || refusal.code === 'RULE.NOT_FOUND') return this.pages.message(res, refusal.code === 'RULE.NOT_FOUND' ? 404 : 403, messages.tokenAdmin.deniedTitle, errorMessage(refusal.code));
    return this.formPage(req, res, 422, form, fieldErrors(refusal), rule);
  }

  private async create(req: Request, res: Response): Promise<void> {
    const form = formOfBody(bodyOf(req));
    if (bodyOf(req).intent === 'preview') return this.preview(req, res, form, null);
    const made = await this.createRule.execute(userOf(res), inputOfForm(form));
    if (!made.ok) return this.refused(req, res, form, made.error, null);
    res.redirect(303, withFlash(this.dryRunPath(made.value.id), { selfreg_rules: 'created' }));
  }

  private async editPage(req: Request, res: Response): Promise<void> {
    const found = ID_RE.test(String(req.params.id)) ? await this.rules.get(userOf(res), String(req.params.id)) : null;
    if (!found?.ok) return this.pages.message(res, 404, messages.rules.editHeading, errorMessage('RULE.NOT_FOUND'));
    await this.formPage(req, res, 200, formOfRule(found.value.rule), {}, found.value.rule);
  }

  private async update(req: Request, res: Response): Promise<void> {
    const id = String(req.params.id);
    const form = formOfBody(bodyOf(req));
    if (bodyOf(req).intent === 'preview') return this.preview(req, res, form, id);
    const saved = await this.updateRule.execute(userOf(res), id, inputOfForm(form));
    if (!saved.ok) return this.refused(req, res, form, saved.error, (await this.rules.get(userOf(res), id)).ok ? ({ id } as EnrolmentRule) : null);
    res.redirect(303, withFlash(this.dryRunPath(id), { selfreg_rules: 'saved' }));
  }

  private async switch(req: Request, res: Response): Promise<void> {
    const on = bodyOf(req).enabled === 'on';
    const done = await this.updateRule.execute(userOf(res), String(req.params.id), { enabled: on });
    res.redirect(303, withFlash(this.portalSettings(), done.ok ? { selfreg_rules: on ? 'switchedOn' : 'switchedOff' } : { selfreg_rules_error: done.error.code }, ANCHOR));
  }

  private async remove(req: Request, res: Response): Promise<void> {
    const done = await this.deleteRule.execute(userOf(res), String(req.params.id));
    res.redirect(303, withFlash(this.portalSettings(), done.ok ? { selfreg_rules: 'deleted' } : { selfreg_rules_error: done.error.code }, ANCHOR));
  }

  private async dryRunPage(req: Request, res: Response): Promise<void> {
    const id = String(req.params.id);
    const user = userOf(res);
    const found = ID_RE.test(id) ? await this.rules.get(user, id) : null;
    if (!found?.ok) return this.pages.message(res, 404, messages.rules.dryRunTitle, errorMessage('RULE.NOT_FOUND'));
    const { timeZone } = await this.portal.info();
    const running = found.value.lastRun?.state === 'running';
    // While a run goes on, the page shows its progress (and refreshes itself) instead of counting again.
    const dry = running ? null : await this.dryRun.execute(user, id);
    const q = req.query as Record<string, unknown>;
    await this.pages.page(res, 200, 'admin/rule-dry-run', `${messages.rules.dryRunTitle}: ${found.value.rule.name}`, {
      r: messages.rules, csrf: this.csrf.issue(this.access.sessionKey(req)),
      rule: found.value.rule, run: runLine(found.value.lastRun, (d) => formatDateTime(d, timeZone)), running,
      dry: dry?.ok ? dry.value : null, dryError: dry && !dry.ok ? errorMessage(dry.error.code) : null,
      flash: typeof q.selfreg_rules === 'string' ? messages.rules.flash[q.selfreg_rules] ?? null : null,
      flashError: typeof q.selfreg_rules_error === 'string' ? errorMessage(q.selfreg_rules_error) : null,
      applyAction: `${this.rulePath(id)}/apply`, editUrl: this.rulePath(id), selfUrl: this.dryRunPath(id), backUrl: `${this.portalSettings()}#${ANCHOR}`,
    });
  }

  private async apply(req: Request, res: Response): Promise<void> {
    const id = String(req.params.id);
    const started = await this.applyRule.execute(userOf(res), id);
    res.redirect(303, withFlash(this.dryRunPath(id), started.ok ? { selfreg_rules: 'applying' } : { selfreg_rules_error: started.error.code }));
  }
}
