import { ErrorCodes } from '../../domain/shared/errors.js';
import { canHaveTokens } from '../../domain/shared/knowledge.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { EnrolmentsPort } from '../../domain/ports/enrolments.port.js';
import type { OpenDeepLinkQuery } from './open-deep-link.query.js';
import type { EnrolPreview, RegistrationContext } from './registration-outcomes.js';
import type { TokenLookup } from './token-lookup.js';

/** The one-click page of a signed-in visitor: the deep link's preview plus whether they are enrolled already. */
export class OpenOneClickEnrolmentQuery {
  constructor(
    private readonly deepLink: OpenDeepLinkQuery,
    private readonly lookup: TokenLookup,
    private readonly enrolments: EnrolmentsPort,
  ) {}

  async execute(user: HostUser, codeInput: string, ctx: RegistrationContext = {}): Promise<EnrolPreview> {
    const preview = await this.deepLink.execute(codeInput, ctx);
    if (preview.kind !== 'usable') {
      // A closed token still lets someone already enrolled open the item.
      if (preview.kind === 'refused' && preview.reason.code !== ErrorCodes.TOKEN_NOT_RECOGNISED && preview.reason.code !== ErrorCodes.REGISTRATION_UNAVAILABLE) {
        const found = await this.lookup.find(codeInput);
        const item = found && canHaveTokens(found.item);
        if (found && item && item.ok && (await this.enrolments.isEnrolled(user.id, item.value.ref))) {
          return { kind: 'usable', code: found.token.code ?? found.code.display, item: item.value, tokenId: found.token.id, enrolled: true };
        }
      }
      return preview;
    }
    return { ...preview, enrolled: await this.enrolments.isEnrolled(user.id, preview.item.ref) };
  }
}
