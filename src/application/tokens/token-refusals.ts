import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { err } from '../../domain/shared/result.js';

/** The refusals every token use case may answer with. */
export const denied = (): { ok: false; error: Refusal } => err(refuse(ErrorCodes.PERMISSION_DENIED));
export const notFound = (): { ok: false; error: Refusal } => err(refuse(ErrorCodes.TOKEN_NOT_FOUND));
