import { ErrorCodes, refuseWith, type Refusal } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';

export const BATCH_MAX_SIZE = 10_000;
/** Single-use unless said otherwise: the shape of event handouts and vouchers. */
export const BATCH_DEFAULT_MAX_USES = 1;

/** How many codes a batch has: a whole number from 1 to 10,000. */
export function validateBatchSize(input: number | null | undefined): Result<number, Refusal> {
  if (typeof input !== 'number' || !Number.isInteger(input) || input < 1 || input > BATCH_MAX_SIZE) {
    return err(refuseWith(ErrorCodes.BATCH_SIZE_INVALID, { max: BATCH_MAX_SIZE }));
  }
  return ok(input);
}
