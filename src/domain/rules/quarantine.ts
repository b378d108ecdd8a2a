/*
 * The self-enrolment quarantine: prospects are kept out of the host's self-enrolment items meant
 * for Staff and Clients. Like Moodle's can_self_enrol(), the answer is "yes" or a reason, never an
 * exception.
 */
import { ErrorCodes, refuseWith, type Refusal } from '../shared/errors.js';
import { PROSPECT, USER_TYPES, type UserType } from '../shared/user.js';

/**
 * Whether a user of `type` may enrol themselves in an item opened to `openTo`. Only prospects are
 * judged here (the host's own rules decide for its other types): a prospect may, only if the item
 * is opened to prospects.
 */
export function canSelfEnrol(type: UserType, openTo: readonly UserType[]): Refusal | null {
  if (type !== PROSPECT || openTo.includes(PROSPECT)) return null;
  return refuseWith(ErrorCodes.ENROLMENT_NOT_OPEN, { userType: type });
}

/** An item open to every user type lets prospects in beside Staff and Clients, which admins are told to avoid. */
export const openToEveryType = (openTo: readonly UserType[]): boolean => USER_TYPES.every((t) => openTo.includes(t));
