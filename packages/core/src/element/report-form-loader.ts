let loading: Promise<void> | undefined;

/**
 * Defines `<civic-report-form>`. The form lives in a chunk of its own, fetched the first time a
 * citizen asks to report something: most readers never do. A failed fetch is tried again on the
 * next call.
 */
export function defineReportForm(): Promise<void> {
  loading ??= import('./report-form.js').then(({ CivicReportForm }) => {
    if (!customElements.get('civic-report-form')) customElements.define('civic-report-form', CivicReportForm);
  });
  loading.catch(() => (loading = undefined));
  return loading;
}
