/** The endpoint as an absolute URL without a trailing slash, as far as the page can tell. */
export function absoluteEndpoint(endpoint: string): string {
  try {
    return new URL(endpoint, globalThis.document?.baseURI).href.replace(/\/+$/, '');
  } catch {
    return endpoint.replace(/\/+$/, '');
  }
}
