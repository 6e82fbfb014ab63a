// Service worker: serves the product list from cache when the network is down.
self.addEventListener('fetch', (event) => {
  if (!event.request.url.endsWith('/api/products')) return;
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        const copy = response.clone();
        caches.open('products').then((cache) => cache.put(event.request, copy));
        return response;
      })
      .catch(() => caches.match(event.request)),
  );
});
