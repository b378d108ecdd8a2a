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
  seatsTitle: 'Registration is unavailable right now',
  seatsBody: (portal: string) => `All places at ${portal} are taken at the moment, so we can’t register you right now.`,
  seatsContact: 'Please contact',
  seatsContactEnd: 'or whoever shared this token with you.',
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
    otherAccount: 'Not the right account? Sign out at the top of the portal and sign in with the right one.',
  },
  formExpired: 'This form has expired. Reload the page and try again.',
  itemKind: 'Type',
} as const;
