import { ErrorCodes } from '../../../domain/shared/errors.js';

/** Which form field an error code belongs to (for inline messages in the panels and the API's `field`). */
const FIELD_OF: Record<string, string> = {
  [ErrorCodes.TOKEN_CODE_TAKEN]: 'customCode',
  [ErrorCodes.TOKEN_CODE_INVALID]: 'customCode',
  [ErrorCodes.TOKEN_CODE_TOO_SHORT]: 'customCode',
  [ErrorCodes.TOKEN_NICKNAME_INVALID]: 'nickname',
  [ErrorCodes.TOKEN_EXPIRY_INVALID]: 'expiresOn',
  [ErrorCodes.TOKEN_EXPIRY_IN_PAST]: 'expiresOn',
  [ErrorCodes.TOKEN_MAX_USES_INVALID]: 'maxUses',
  [ErrorCodes.TOKEN_MAX_USES_BELOW_USES]: 'maxUses',
  [ErrorCodes.API_KEY_NAME_INVALID]: 'name',
  [ErrorCodes.KNOWLEDGE_NOT_FOUND]: 'item',
  [ErrorCodes.KNOWLEDGE_LIBRARY_CONTENT]: 'item',
  [ErrorCodes.BATCH_SIZE_INVALID]: 'count',
  [ErrorCodes.RULE_NAME_INVALID]: 'name',
  [ErrorCodes.RULE_USER_TYPES_INVALID]: 'userTypes',
  [ErrorCodes.RULE_ARRIVAL_INVALID]: 'arrival',
  [ErrorCodes.RULE_TOKEN_NOT_FOUND]: 'arrival',
  [ErrorCodes.RULE_EMAIL_DOMAINS_INVALID]: 'emailDomains',
  [ErrorCodes.RULE_CAMPAIGNS_INVALID]: 'campaigns',
  [ErrorCodes.RULE_ITEMS_INVALID]: 'enrolIn',
  [ErrorCodes.RULE_ITEM_NOT_FOUND]: 'enrolIn',
};

export const fieldOf = (code: string): string | undefined => FIELD_OF[code];
