import { ErrorCodes, type ErrorCode } from '../../domain/errors.js';

/**
 * Every sentence the plugin shows a person, in one catalogue (English first), keyed by stable ids
 * and error codes, so a host can translate by replacing this object.
 */
export const messages = {
  errors: {
    [ErrorCodes.TOKEN_NOT_RECOGNISED]: 'We don’t recognise that token. Check it and try again, or ask whoever gave it to you.',
    [ErrorCodes.TOKEN_NOT_FOUND]: 'That token no longer exists.',
    [ErrorCodes.TOKEN_DISABLED]: 'This token is currently disabled. Please contact the organisation that shared it with you.',
    [ErrorCodes.TOKEN_EXPIRED]: 'This token has expired. Please contact the organisation that shared it with you.',
    [ErrorCodes.TOKEN_USED_UP]: 'This token has reached its limit of registrations. Please contact the organisation that shared it with you.',
    [ErrorCodes.TOKEN_CODE_TAKEN]: 'That code is already in use. Choose another.',
    [ErrorCodes.TOKEN_CODE_INVALID]: 'A custom code may use only the letters A–Z, digits and single hyphens.',
    [ErrorCodes.TOKEN_CODE_TOO_SHORT]: 'A custom code needs at least 8 letters or digits.',
    [ErrorCodes.TOKEN_NICKNAME_INVALID]: 'A nickname can have at most 100 characters and no line breaks.',
    [ErrorCodes.KNOWLEDGE_NOT_FOUND]: 'That item does not exist.',
    [ErrorCodes.KNOWLEDGE_LIBRARY_CONTENT]: 'Tokens are only available for knowledge your organisation created, not for content imported from the library.',
    [ErrorCodes.REGISTRATION_UNAVAILABLE]: 'Registration is not available at the moment.',
    [ErrorCodes.SEATS_EXHAUSTED]: 'Registration is unavailable right now. Please contact the organisation that shared this token with you.',
    [ErrorCodes.LINK_INVALID]: 'This link is not valid. If you registered more than once, use the link in the newest email.',
    [ErrorCodes.LINK_EXPIRED]: 'This link has expired. Register again with your token and we’ll email you a fresh one.',
    [ErrorCodes.LINK_USED]: 'This link has already been used. Sign in with your email and password instead.',
    [ErrorCodes.PASSWORD_REJECTED]: 'That password can’t be used.',
    [ErrorCodes.PERMISSION_DENIED]: 'You don’t have permission to do that.',
  } satisfies Record<ErrorCode, string>,
  fields: {
    firstName: { label: 'First name', required: 'Enter your first name.', invalid: 'Use letters, spaces, hyphens and apostrophes only (at most 100 characters).' },
    lastName: { label: 'Last name', required: 'Enter your last name.', invalid: 'Use letters, spaces, hyphens and apostrophes only (at most 100 characters).' },
    email: { label: 'Email address', required: 'Enter your email address.', invalid: 'Enter an email address like name@example.com.' },
    token: { label: 'Token', required: 'Enter the token you were given.', invalid: 'Enter the token exactly as you were given it, e.g. 7K3M-Q9XA-2B8D.' },
    password: { label: 'New password', required: 'Choose a password.', invalid: 'Use 10 to 200 characters.' },
    passwordConfirm: { label: 'Repeat the password', required: 'Repeat the password.', invalid: 'The two passwords are different.' },
  },
  register: {
    title: 'Register',
    heading: 'Register for training',
    intro: 'Enter your details and the token you were given. We’ll enrol you and email you what to do next.',
    submit: 'Register',
    errorSummary: 'There is a problem',
    tokenFor: 'This token gives you access to',
    doneTitle: 'Check your inbox',
    doneBody: 'Thanks. If the details are right, we’ve sent you an email with a link to continue. It can take a few minutes to arrive; check your spam folder too.',
  },
  invitation: {
    title: 'Set your password',
    intro: 'Choose a password for your account. You’ll use it with your email address to sign in.',
    submit: 'Set password and continue',
  },
  signIn: {
    title: 'Sign in',
    intro: 'Continue to sign in and open your training.',
    submit: 'Sign in and continue',
  },
  linkProblemTitle: 'This link can’t be used',
  panel: {
    libraryContent: 'Tokens are not available for content imported from the library.',
    created: 'Token created.',
    none: 'No tokens yet. Create one to share this item with people outside the portal.',
  },
} as const;

export function errorMessage(code: string): string {
  return (messages.errors as Record<string, string>)[code] ?? messages.errors[ErrorCodes.REGISTRATION_UNAVAILABLE];
}

export const isKnownErrorCode = (code: unknown): code is ErrorCode =>
  typeof code === 'string' && Object.prototype.hasOwnProperty.call(messages.errors, code);
