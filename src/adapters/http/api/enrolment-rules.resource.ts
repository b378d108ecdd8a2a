import type { Request, Response, Router } from 'express';
import { inject, injectable } from 'inversify';
import { z } from 'zod';
import type { ApiCaller } from '../../../application/api-keys/api-caller.js';
import type { ApplyRuleUseCase } from '../../../application/rules/apply-rule.use-case.js';
import type { CreateRuleUseCase } from '../../../application/rules/create-rule.use-case.js';
import type { DeleteRuleUseCase } from '../../../application/rules/delete-rule.use-case.js';
import type { DryRunRuleQuery } from '../../../application/rules/dry-run-rule.query.js';
import type { ListRulesQuery } from '../../../application/rules/list-rules.query.js';
import type { UpdateRuleUseCase } from '../../../application/rules/update-rule.use-case.js';
import type { RuleInput } from '../../../domain/rules/enrolment-rule.js';
import { ErrorCodes } from '../../../domain/shared/errors.js';
import type { Routes } from '../../../manifest/routes.js';
import { TYPES } from '../../../types.js';
import type { RouteContribution } from '../shared/route-contribution.js';
import { ApiError, unwrap } from './api-errors.js';
import { handle, ID_RE, parse } from './api-request.js';
import { dryRunJson, ruleJson } from './rule-json.js';

/** Every field of a rule; the values are checked by the domain (checkRule), so that refusals match the panel's. */
const fields = {
  name: z.unknown().optional(),
  enabled: z.boolean({ error: 'must be true or false' }).optional(),
  userTypes: z.array(z.string().max(20)).max(10).optional(),
  arrival: z.unknown().optional(),
  emailDomains: z.unknown().optional(),
  campaigns: z.array(z.string().max(200)).max(100).nullable().optional(),
  enrolIn: z.array(z.unknown()).max(100).optional(),
  withdrawOnUnmatch: z.boolean({ error: 'must be true or false' }).optional(),
};
const ruleBody = z.strictObject(fields);
const noBody = z.strictObject({}).optional();

const ruleId = (req: Request): string => {
  const id = String(req.params.id);
  if (!ID_RE.test(id)) throw new ApiError(ErrorCodes.RULE_NOT_FOUND);
  return id;
};

const inputOf = (body: z.infer<typeof ruleBody>): RuleInput => Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));

/**
 * The API's enrolment rules: list, create, read, change (PATCH, absent fields kept), delete, and
 * for existing users a dry run (what applying would enrol, nothing written; a body previews a
 * change) and an apply (started in the background: 202, its progress in the rule's `lastRun`).
 */
@injectable()
export class EnrolmentRulesResource implements RouteContribution {
  readonly route = 'api';

  constructor(
    @inject(TYPES.Routes) private readonly routes: Routes,
    @inject(TYPES.ListRulesQuery) private readonly rules: ListRulesQuery,
    @inject(TYPES.CreateRuleUseCase) private readonly createRule: CreateRuleUseCase,
    @inject(TYPES.UpdateRuleUseCase) private readonly updateRule: UpdateRuleUseCase,
    @inject(TYPES.DeleteRuleUseCase) private readonly deleteRule: DeleteRuleUseCase,
    @inject(TYPES.DryRunRuleQuery) private readonly dryRun: DryRunRuleQuery,
    @inject(TYPES.ApplyRuleUseCase) private readonly applyRule: ApplyRuleUseCase,
  ) {}

  contribute(router: Router): void {
    router.get('/enrolment-rules', handle((req, res, c) => this.list(req, res, c)));
    router.post('/enrolment-rules', handle((req, res, c) => this.create(req, res, c)));
    router.get('/enrolment-rules/:id', handle((req, res, c) => this.get(req, res, c)));
    router.patch('/enrolment-rules/:id', handle((req, res, c) => this.update(req, res, c)));
    router.delete('/enrolment-rules/:id', handle((req, res, c) => this.remove(req, res, c)));
    router.post('/enrolment-rules/:id/dry-run', handle((req, res, c) => this.preview(req, res, c)));
    router.post('/enrolment-rules/:id/apply', handle((req, res, c) => this.apply(req, res, c)));
  }

  private async list(_req: Request, res: Response, c: ApiCaller): Promise<void> {
    res.json({ data: unwrap(await this.rules.list(c.user)).map(ruleJson) });
  }

  private async get(req: Request, res: Response, c: ApiCaller): Promise<void> {
    res.json(ruleJson(unwrap(await this.rules.get(c.user, ruleId(req)))));
  }

  private async create(req: Request, res: Response, c: ApiCaller): Promise<void> {
    const body = parse(ruleBody, req.body, 'body');
    const made = unwrap(await this.createRule.execute(c.user, inputOf(body), c.channel));
    res.status(201).location(`${this.routes.mount('api')}/enrolment-rules/${made.id}`).json(ruleJson({ rule: made, lastRun: null }));
  }

  private async update(req: Request, res: Response, c: ApiCaller): Promise<void> {
    const id = ruleId(req);
    const body = parse(ruleBody, req.body, 'body');
    unwrap(await this.updateRule.execute(c.user, id, inputOf(body), c.channel));
    res.json(ruleJson(unwrap(await this.rules.get(c.user, id))));
  }

  private async remove(req: Request, res: Response, c: ApiCaller): Promise<void> {
    unwrap(await this.deleteRule.execute(c.user, ruleId(req), c.channel));
    res.status(204).end();
  }

  private async preview(req: Request, res: Response, c: ApiCaller): Promise<void> {
    const id = ruleId(req);
    const body = req.body && typeof req.body === 'object' && Object.keys(req.body as object).length > 0 ? inputOf(parse(ruleBody, req.body, 'body')) : {};
    res.json(dryRunJson(unwrap(await this.dryRun.execute(c.user, id, body))));
  }

  private async apply(req: Request, res: Response, c: ApiCaller): Promise<void> {
    const id = ruleId(req);
    if (req.body !== undefined && Object.keys((req.body as object) ?? {}).length > 0) parse(noBody, req.body, 'body');
    const started = unwrap(await this.applyRule.execute(c.user, id, c.channel));
    const rule = unwrap(await this.rules.get(c.user, id));
    res.status(202).location(`${this.routes.mount('api')}/enrolment-rules/${id}`).json(ruleJson({ rule: rule.rule, lastRun: started.run }));
  }
}
