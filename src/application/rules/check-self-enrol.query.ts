import { canSelfEnrol } from '../../domain/rules/quarantine.js';
import type { Refusal } from '../../domain/shared/errors.js';
import type { UserType } from '../../domain/shared/user.js';

/**
 * The quarantine, asked by the host's self-enrolment catalogue (the `enrolment.self_enrol` filter)
 * both when it lists items and when a learner asks to enrol: null lets the host go on, a refusal
 * vetoes with its reason.
 */
export class CheckSelfEnrolQuery {
  execute(input: { userType: UserType; openTo: readonly UserType[] }): Refusal | null {
    return canSelfEnrol(input.userType, input.openTo);
  }
}
