import { msg, str } from '@lit/localize';
import type { CivicErrorKind } from './contract/errors.js';

/** Anything that says what kind of failure it was: a CivicError, or an outbox entry's stored error. */
export interface DescribableError {
  readonly kind: CivicErrorKind;
  /** For developers; shown only for `misconfigured`, whose reader is the site's webmaster. */
  readonly message?: string;
}

/** One clear, localised sentence telling the citizen what happened and what to do. */
export function describeError(error: DescribableError): string {
  switch (error.kind) {
    case 'offline':
      return msg('You are offline. Check your connection; it will work again once you are back online.');
    case 'network':
      return msg('The service could not be reached. Check your connection and try again.');
    case 'timeout':
      return msg('The service took too long to answer. Please try again in a moment.');
    case 'validation':
      return msg('Some information is missing or incorrect. Please check what you entered and try again.');
    case 'unauthorised':
      return msg('Your session is no longer valid. Please reload the page, sign in if asked, and try again.');
    case 'forbidden':
      return msg('You are not allowed to do this here. If you think this is a mistake, please contact the council.');
    case 'not-found':
      return msg('This could not be found. It may have been removed; please reload the page.');
    case 'conflict':
      return msg('This was changed in the meantime, or has already been done. Please reload the page to see where things stand.');
    case 'rate-limited':
      return msg('Too many attempts. Please wait a moment and try again.');
    case 'closed':
      return msg('Participation is closed: contributions are no longer accepted.');
    case 'server':
      return msg('The service has a problem right now. Please try again later.');
    case 'misconfigured': {
      const detail = error.message?.trim().replace(/[.\s]+$/, '');
      return detail
        ? msg(str`This widget is not configured: ${detail}. Please tell the site's webmaster.`)
        : msg("This widget is not configured. Please tell the site's webmaster.");
    }
  }
}
