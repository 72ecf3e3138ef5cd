/**
 * A chunk fetched on first use and kept for the page's life. A fetch that failed (the citizen went
 * offline, the council's site was restarting) is forgotten, so that the next call tries again
 * instead of failing until a reload. The CDN build also gives a chunk that failed a new address for
 * its next try, since some browsers keep a failed module for the page's life (rollup.config.mjs).
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    if (!loading) {
      const attempt = load();
      loading = attempt;
      attempt.catch(() => {
        if (loading === attempt) loading = undefined;
      });
    }
    return loading;
  };
}

/**
 * Resolves once the browser says it is back online, or after `ms`, whichever comes first: when to
 * try again something that needed the network.
 */
export function onlineOrAfter(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      globalThis.removeEventListener?.('online', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    globalThis.addEventListener?.('online', done);
  });
}
