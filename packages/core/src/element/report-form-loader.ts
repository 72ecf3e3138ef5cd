import { lazy } from './lazy.js';

/**
 * Defines `<civic-report-form>`. The form lives in a chunk of its own, fetched the first time a
 * citizen asks to report something: most readers never do. A failed fetch is tried again on the
 * next call.
 */
export const defineReportForm: () => Promise<void> = lazy(() =>
  import('./report-form.js').then(({ CivicReportForm }) => {
    if (!customElements.get('civic-report-form')) customElements.define('civic-report-form', CivicReportForm);
  }),
);
