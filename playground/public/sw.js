// The playground's service worker: it keeps every file of the site (precache.json,
// written by vite.config.js's `precache` plugin at build time) in a cache named after
// the build, so the page works offline once loaded: the gallery, the transpiler's wasm,
// the run worker and the WASI shims, loaded lazily, come from the cache too.
/** The build's file list and version; fetched when installing and activating only (the
 * worker also starts for fetch events, offline among them). */
const precache = () => fetch(new URL('precache.json', self.registration.scope), { cache: 'no-store' }).then((r) => r.json());

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const { version, files } = await precache();
      const cache = await caches.open(`weft-playground-${version}`);
      await cache.addAll(files.map((f) => new URL(f, self.registration.scope)));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const { version } = await precache();
      for (const key of await caches.keys()) {
        if (key.startsWith('weft-playground-') && key !== `weft-playground-${version}`) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

// Cache first (the files are the build's; a new build is a new cache); the page itself
// (a navigation, whatever its fragment) is index.html.
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || !url.href.startsWith(self.registration.scope)) return;
  const key = event.request.mode === 'navigate' ? new URL('index.html', self.registration.scope) : url;
  event.respondWith(caches.match(key, { ignoreSearch: true }).then((hit) => hit ?? fetch(event.request)));
});
