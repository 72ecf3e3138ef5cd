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
    case 'misconfigured':
      // What is wrong goes to the administrator's details (adminDetails), not twice on screen.
      return msg("This widget is not configured. Please tell the site's webmaster.");
  }
}

/**
 * What the site administrator should check, shown under the error (folded) and in the console:
 * the message of a configuration error, and for a 404 a hint that the endpoint looks wrong, since
 * a backend that serves the contract under another path answers 404 to every widget.
 */
export function adminDetails(error: DescribableError): string | undefined {
  if (error.kind === 'misconfigured') return error.message;
  if (error.kind !== 'not-found') return undefined;
  return msg(str`The backend answered "${error.message || '404'}". If the widget's id is right, its endpoint looks wrong.`);
}

