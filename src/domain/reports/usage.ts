/*
 * Token usage: the funnel of a token (or an item, a campaign, the portal) from deep-link views to
 * completions, and the conversion between each step.
 */
export interface UsageCounts {
  readonly views: number;
  readonly registrations: number;
  readonly newAccounts: number;
  readonly existingAccounts: number;
  readonly activated: number;
  readonly started: number;
  readonly completed: number;
}

export const ZERO_USAGE: UsageCounts = { views: 0, registrations: 0, newAccounts: 0, existingAccounts: 0, activated: 0, started: 0, completed: 0 };

export const addUsage = (a: UsageCounts, b: UsageCounts): UsageCounts => ({
  views: a.views + b.views,
  registrations: a.registrations + b.registrations,
  newAccounts: a.newAccounts + b.newAccounts,
  existingAccounts: a.existingAccounts + b.existingAccounts,
  activated: a.activated + b.activated,
  started: a.started + b.started,
  completed: a.completed + b.completed,
});

/** Each step as a share of the step before it (0–1), null when the step before is 0. */
export interface Conversion {
  readonly viewToRegistration: number | null;
  readonly registrationToActivation: number | null;
  readonly activationToStart: number | null;
  readonly startToCompletion: number | null;
}

const share = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 1000) / 1000 : null);

export const conversionOf = (u: UsageCounts): Conversion => ({
  viewToRegistration: share(u.registrations, u.views),
  registrationToActivation: share(u.activated, u.registrations),
  activationToStart: share(u.started, u.activated),
  startToCompletion: share(u.completed, u.started),
});
