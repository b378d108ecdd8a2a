/* The registration form: its fields, the form page, the pages emailed links open, and the public pages around them. */

export const fields = {
  firstName: { label: 'First name', required: 'Enter your first name.', invalid: 'Use letters, spaces, hyphens and apostrophes only (at most 100 characters).' },
  lastName: { label: 'Last name', required: 'Enter your last name.', invalid: 'Use letters, spaces, hyphens and apostrophes only (at most 100 characters).' },
  email: { label: 'Email address', required: 'Enter your email address.', invalid: 'Enter an email address like name@example.com.', invisible: 'Your email address holds an invisible or control character. Type it in rather than pasting it.' },
  token: { label: 'Token', required: 'Enter the token you were given.', invalid: 'Enter the token exactly as you were given it, e.g. 7K3M-Q9XA-2B8D.' },
  password: { label: 'New password', required: 'Choose a password.', invalid: 'Use 10 to 200 characters.' },
  passwordConfirm: { label: 'Repeat the password', required: 'Repeat the password.', invalid: 'The two passwords are different.' },
  consent: { label: 'I agree', required: 'Tick the box to confirm you agree before you register.', invalid: 'Tick the box to confirm you agree before you register.' },
} as const;

export const register = {
  title: 'Register',
  heading: 'Register for training',
  intro: 'Enter your details and the token you were given. We’ll enrol you and email you what to do next.',
  submit: 'Register',
  errorSummary: 'There is a problem',
  tokenFor: 'This token gives you access to',
  doneTitle: 'Check your inbox',
  doneBody: 'Thanks. If the details are right, we’ve sent you an email with a link to continue. It can take a few minutes to arrive; check your spam folder too.',
  /** Under the message (the organisation's own, or doneBody): the address the mail went to, as typed. */
  sentTo: 'We sent it to',
  wrongAddress: 'Not your address, or a typo? Go back to the registration page and register again with the right one.',
  resendIntro: 'Nothing arrived after a few minutes? We can send it again.',
  resend: 'Send it again',
} as const;

export const invitation = {
  title: 'Set your password',
  intro: 'Choose a password for your account. You’ll use it with your email address to sign in.',
  submit: 'Set password and continue',
} as const;

export const signIn = {
  title: 'Sign in',
  intro: 'Continue to sign in and open your training.',
  submit: 'Sign in and continue',
} as const;

export const linkProblemTitle = 'This link can’t be used';

/** The public registration pages beyond the form's fields. */
export const registration = {
  consent: {
    label: 'I agree to the terms of use and the privacy notice',
    labelTerms: 'I agree to the terms of use',
    labelPrivacy: 'I have read the privacy notice',
    required: 'Tick the box to confirm you agree before you register.',
    read: 'Before you register, please read our',
    terms: 'terms of use',
    privacy: 'privacy notice',
    and: 'and',
    newTab: '(opens in a new tab)',
  },
  signedInAs: (name: string, email: string) => `You’re signed in as ${name} (${email}).`,
  signedInHint: 'Register with your own email address to be enrolled straight away.',
  haveAccount: 'Already have an account?',
  signIn: 'Sign in',
  signInHint: 'and enrol with one click.',
  unavailableTitle: 'Registration is unavailable',
  unavailableBody: 'Registration is not available at the moment. Please try again later.',
  seatsTitle: 'No new accounts right now',
  seatsBody: (portal: string) => `All places at ${portal} are taken at the moment, so we can’t create new accounts right now.`,
  /** The same page for every email (no telling whether one is known): true for the owner of an existing account too, whose mail is on its way. */
  seatsKnown: 'If you already have an account with this email address, you don’t need a new place: we’ve emailed you a link to sign in and continue. Check your inbox.',
  seatsContact: 'Please contact',
  seatsContactEnd: 'or whoever shared this token with you.',
  /** Whom to ask about a token that can no longer be used, in a sentence of plain text (a form field's error). */
  askContact: (portal: string, email: string) => `Please contact ${portal} (${email}) or whoever shared it with you.`,
  anotherToken: 'Have another token? Go to the registration page',
  alreadyEnrolledTitle: 'You’re already enrolled',
  alreadyEnrolled: 'You’re already enrolled in',
  openItem: (title: string) => `Open ${title}`,
  /** After an emailed link signed the person in but the token could no longer enrol them. */
  notEnrolledTitle: 'You’re signed in, but not enrolled',
  notEnrolledBody: (title: string) => `We couldn’t enrol you in ${title}.`,
  notEnrolledReason: {
    'TOKEN.DISABLED': 'The token you registered with has been disabled since we emailed you.',
    'TOKEN.EXPIRED': 'The token you registered with has expired since we emailed you.',
    'TOKEN.USED_UP': 'The token you registered with reached its limit of registrations since we emailed you.',
    'TOKEN.NOT_RECOGNISED': 'The token you registered with has been withdrawn since we emailed you.',
  } as Record<string, string>,
  toPortal: (portal: string) => `Go to ${portal}`,
  /** On an emailed link's confirm page, when its token closed since the mail. */
  closedNotice: (title: string, code: string) =>
    `${registration.notEnrolledReason[code] ?? registration.notEnrolledReason['TOKEN.NOT_RECOGNISED']} You can still continue, but it won’t enrol you in ${title}.`,
  signInInstead: 'Sign in',
  registerAgain: 'Register again',
  tooManyTitle: 'Too many attempts',
  tooManyBody: (wait: string) => `To protect people’s accounts we’ve paused requests from here for a while. Please try again in ${wait}.`,
  waitFor: (seconds: number) => {
    if (seconds < 60) return 'a minute';
    const minutes = Math.ceil(seconds / 60);
    if (minutes < 60) return minutes === 1 ? 'a minute' : `${minutes} minutes`;
    const hours = Math.ceil(minutes / 60);
    return hours === 1 ? 'an hour' : `${hours} hours`;
  },
  backToForm: 'Go to the registration page',
  tokenProblemTitle: 'This token can’t be used',
  enrol: {
    title: 'Enrol',
    heading: 'Enrol with one click',
    intro: 'Your token gives you access to',
    submit: 'Enrol and open',
    already: 'You’re already enrolled in',
    open: 'Open it now',
    otherAccount: 'Not the right account? This page enrols the account you’re signed in with.',
    otherAccountLink: 'Register with another email address instead',
  },
  formExpired: 'This form has expired. Reload the page and try again.',
  itemKind: 'Type',
} as const;
