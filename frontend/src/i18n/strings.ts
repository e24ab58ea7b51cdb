/** Every string the interface shows, in one place (English first). */
export const strings = {
  appName: 'Parley',
  tagline: 'Every customer conversation, one inbox.',
  login: {
    title: 'Sign in to Parley',
    email: 'Work email',
    password: 'Password',
    submit: 'Sign in',
    submitting: 'Signing in…',
    wrongCredentials: 'Wrong email or password.',
    rateLimited: 'Too many attempts — try again in a few minutes.',
    network: 'Parley cannot be reached. Check your connection and try again.',
    unexpected: 'Something went wrong on our side. Try again in a moment.',
  },
  shell: {
    signOut: 'Sign out',
    signedInAs: 'Signed in as',
    emptyInbox: 'No conversations yet',
    emptyInboxHint: 'New mentions and messages from your connected channels appear here as they arrive.',
    loading: 'Loading…',
  },
  roles: { agent: 'Agent', supervisor: 'Supervisor', admin: 'Admin' },
  notFound: { title: 'Page not found', back: 'Back to the inbox' },
} as const;
