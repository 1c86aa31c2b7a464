// Preloaded (NODE_OPTIONS=--import) into every process of a field run: fetch to anything but
// loopback fails at once, as on a machine without network. A plugin that phones home per session
// (update checks, telemetry, its cloud API) would otherwise send one request per session to the
// internet during a leak run; offline, its error path runs instead, which is what a run measures.
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const realFetch = globalThis.fetch;
if (typeof realFetch === 'function') {
  globalThis.fetch = function offlineFetch(input, init) {
    let host = '';
    try {
      host = new URL(typeof input === 'string' || input instanceof URL ? String(input) : input.url).hostname;
    } catch {
      // Not a URL we can read: let fetch itself reject it.
    }
    if (host !== '' && !LOOPBACK.has(host)) {
      return Promise.reject(new TypeError(`fetch failed: churnlab field runs are offline (${host})`));
    }
    return realFetch.call(this, input, init);
  };
}
