import type { FastifyRequest } from 'fastify';

export type Language = 'en' | 'fr';

/** The language of the staff member's browser: French when it comes first, English otherwise. */
export function languageOf(request: Pick<FastifyRequest, 'headers'>): Language {
  const first = request.headers['accept-language']?.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('fr') ? 'fr' : 'en';
}

/** The texts of staff sign-in and rights, in both languages of the console. */
export const wording = {
  wrongCredentials: { en: 'Wrong email or password.', fr: 'Adresse électronique ou mot de passe incorrect.' },
  codeNeeded: {
    en: 'Enter the 6-digit code from your authenticator app, or one of your recovery codes.',
    fr: 'Saisissez le code à 6 chiffres de votre application d’authentification, ou l’un de vos codes de secours.',
  },
  codeWrong: { en: 'This code is not valid, or was used already.', fr: 'Ce code n’est pas valide, ou a déjà servi.' },
  locked: {
    en: (until: string) => `Too many failed sign-ins: this account is locked until ${until}.`,
    fr: (until: string) => `Trop d’échecs de connexion : ce compte est bloqué jusqu’au ${until}.`,
  },
  addressLimited: {
    en: (until: string) => `Too many failed sign-ins from your connection: try again after ${until}.`,
    fr: (until: string) => `Trop d’échecs de connexion depuis votre connexion : réessayez après le ${until}.`,
  },
  forbidden: { en: 'Your role does not allow this action.', fr: 'Votre rôle ne permet pas cette action.' },
  outOfScope: {
    en: 'This action concerns a consultation outside those you are in charge of.',
    fr: 'Cette action concerne une consultation dont vous n’avez pas la charge.',
  },
  signInNeeded: { en: 'Sign in to the console, or send the admin key: Authorization: Bearer <key>.', fr: 'Connectez-vous à la console, ou envoyez la clé d’administration : Authorization: Bearer <clé>.' },
  sessionOver: { en: 'Your session has ended; sign in again.', fr: 'Votre session a pris fin ; reconnectez-vous.' },
  csrf: {
    en: 'This request lacks the console’s X-CSRF-Token header, or comes from another site.',
    fr: 'Cette requête n’a pas l’en-tête X-CSRF-Token de la console, ou vient d’un autre site.',
  },
  noSession: { en: 'The admin key has no console session.', fr: 'La clé d’administration n’a pas de session de console.' },
  linkSpent: {
    en: 'This link has expired or was used already; ask an administrator for a new one.',
    fr: 'Ce lien a expiré ou a déjà servi ; demandez-en un nouveau à un administrateur.',
  },
  passwordShort: { en: 'Choose a password of at least 12 characters.', fr: 'Choisissez un mot de passe d’au moins 12 caractères.' },
  totpOn: { en: 'Two-step sign-in is on already.', fr: 'La connexion en deux étapes est déjà activée.' },
  totpNotStarted: { en: 'Start the enrolment first.', fr: 'Commencez d’abord l’activation.' },
  oidcOff: { en: 'Single sign-on is not configured on this server.', fr: 'La connexion unique n’est pas configurée sur ce serveur.' },
  oidcRefused: {
    en: 'Your organisation account is not allowed into the console; ask an administrator.',
    fr: 'Votre compte d’organisation n’a pas accès à la console ; adressez-vous à un administrateur.',
  },
} as const;

type Text = { en: string; fr: string };

export function say(request: Pick<FastifyRequest, 'headers'>, text: Text): string {
  return text[languageOf(request)];
}

/** A moment for a person to read, in UTC and saying so: the server does not know the reader's zone. */
export function moment(iso: string, language: Language): string {
  const formatted = new Intl.DateTimeFormat(language === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso));
  return `${formatted} UTC`;
}
