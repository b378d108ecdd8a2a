import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { err } from '../../domain/shared/result.js';

/** The refusals every rule use case may answer with. */
export const denied = (): { ok: false; error: Refusal } => err(refuse(ErrorCodes.PERMISSION_DENIED));
export const ruleNotFound = (): { ok: false; error: Refusal } => err(refuse(ErrorCodes.RULE_NOT_FOUND));
export const rulesUnavailable = (): { ok: false; error: Refusal } => err(refuse(ErrorCodes.RULES_UNAVAILABLE));
