/** The Notifications panel of an item. */
export const notifications = {
  intro: 'Email admins when someone enrols in this item through a self-registration token.',
  switchLabel: 'Email admins about registrations through tokens',
  recipientsLegend: 'Recipients',
  primaryAdmin: 'Always included while notifications are on: the portal’s primary admin,',
  stakeholdersLabel: 'Other recipients',
  stakeholdersHint: 'Optional. Up to 20 email addresses, one per line or separated by commas.',
  modeLegend: 'How often',
  modeEach: 'An email for each registration',
  modeDigest: 'A daily digest of the day’s registrations',
  modeDigestHint: 'Sent at {hour} ({timeZone}) the next day; nothing is sent on days without registrations.',
  submit: 'Save notification settings',
  saved: 'Notification settings saved.',
  savedOff: 'Notification settings saved. Notifications are off for this item.',
  errorSummary: 'There is a problem',
  notAddresses: 'These are not email addresses: {list}. Correct them and save again.',
  tooMany: 'You named {count} other recipients; the most is {max}. Remove some and save again.',
} as const;
