/* Service worker of the patient pages (served by the view at /sw.js, which fills in CONFIG).
 *
 * - The app shell (CSS, JS, icons) is cached at install; static files are then served from the
 *   cache and refreshed in the background.
 * - Patient pages are network-first: a fresh copy when online (kept for later), the last copy when
 *   offline, so the plan stays readable with no network.
 * - A session form posted while the network fails is kept in IndexedDB (the same outbox that
 *   patient.js fills and empties) and the patient sees "Saved on this phone". patient.js sends it
 *   to the API later with the form's idempotency key, so it is never lost and never duplicated.
 * Only same-origin patient pages and static files are touched; every other request passes through.
 */
"use strict";

const CONFIG = self.__CONFIG__;
const SHELL_CACHE = "rehab-shell-" + CONFIG.version;
const PAGE_CACHE = "rehab-pages"; // patient.js reads and clears it too
const MATCH = { ignoreVary: true };

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const shell = await caches.open(SHELL_CACHE);
      // One by one: a missing file must not stop the rest from being cached.
      await Promise.all(CONFIG.shell.map((url) => shell.add(url).catch(() => undefined)));
      const pages = await caches.open(PAGE_CACHE);
      await Promise.all(CONFIG.pages.map((url) => keepPage(pages, url)));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith("rehab-shell-") && key !== SHELL_CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "GET" && isPatientPage(url)) {
    event.respondWith(networkFirst(event, request));
  } else if (request.method === "GET" && url.pathname.startsWith(CONFIG.staticUrl)) {
    event.respondWith(staleWhileRevalidate(event, request));
  } else if (request.method === "POST" && CONFIG.queueForms.includes(url.pathname)) {
    event.respondWith(postOrKeep(request));
  }
});

function isPatientPage(url) {
  return CONFIG.pagePrefixes.some((prefix) => url.pathname.startsWith(prefix)) || isPicture(url);
}

// An exercise's drawing (the follow-along page shows one per step): network first, kept for offline.
function isPicture(url) {
  return Boolean(CONFIG.picturePrefix) && url.pathname.startsWith(CONFIG.picturePrefix) && url.pathname.endsWith(".svg");
}

function cacheable(response) {
  // A redirect (to the sign-in page, say) must never stand in for the page itself.
  return response.ok && !response.redirected && response.type === "basic";
}

async function keepPage(cache, url) {
  try {
    const response = await fetch(url, { credentials: "same-origin" });
    if (cacheable(response)) await cache.put(url, response);
  } catch (error) {
    // Offline during install: the page is cached on its next visit.
  }
}

async function networkFirst(event, request) {
  const cache = await caches.open(PAGE_CACHE);
  try {
    const response = await fetch(request);
    if (cacheable(response)) event.waitUntil(cache.put(request.url, response.clone()));
    return response;
  } catch (error) {
    return (
      (await cache.match(request.url, MATCH)) ||
      (await cache.match(CONFIG.offlinePage, MATCH)) ||
      Response.error()
    );
  }
}

async function staleWhileRevalidate(event, request) {
  const cached = await caches.match(request, MATCH);
  const fresh = fetch(request).then(async (response) => {
    if (cacheable(response)) await (await caches.open(SHELL_CACHE)).put(request, response.clone());
    return response;
  });
  if (cached) {
    event.waitUntil(fresh.catch(() => undefined));
    return cached;
  }
  return fresh;
}

async function postOrKeep(request) {
  const copy = request.clone();
  try {
    return await fetch(request);
  } catch (error) {
    const fields = [];
    for (const [name, value] of await copy.formData()) {
      if (typeof value === "string" && name !== "csrfmiddlewaretoken") fields.push([name, value]);
    }
    const get = (name) => (fields.find(([key]) => key === name) || [])[1];
    const id = get("idempotency_key") || "nm-" + get("checkin");
    const action = new URL(request.url).pathname;
    if (action === CONFIG.redFlagForm) {
      // The red-flag page (kept copy) shows the advice and the "not sent yet" banner for it.
      fields.push(["reported_on", new Date().toLocaleDateString("en-CA")]);
      await outboxPut({ id, action, owner: get("owner"), fields, savedAt: Date.now() });
      return Response.redirect(CONFIG.redFlagForm, 303);
    }
    await outboxPut({ id, action, owner: get("owner"), fields, savedAt: Date.now() });
    const saved = await caches.match(CONFIG.savedPage, MATCH);
    return (
      saved ||
      new Response("<p>Saved on this phone. It will be sent when you are back online.</p>", {
        headers: { "Content-Type": "text/html; charset=utf-8" },
      })
    );
  }
}

function outboxPut(entry) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open("rehab-offline", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("outbox", { keyPath: "id" });
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction("outbox", "readwrite");
      tx.objectStore("outbox").put(entry);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    };
  });
}

// Reminders (Web Push): show what the server sent; a tap opens the page it names (Today, or its
// next-morning question), in a window of ours if one is open. Only our own pages are opened.
self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = {};
  }
  const icon = CONFIG.shell.find((url) => url.includes("icon-192"));
  event.waitUntil(
    self.registration.showNotification(message.title || "Your exercise plan", {
      body: message.body || "",
      tag: message.tag || "reminder",
      icon,
      data: { url: ownPage(message.url) },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(ownPage(event.notification.data && event.notification.data.url), self.location.origin);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
      if (open) {
        const shown = open.navigate ? await open.navigate(target.href).catch(() => null) : null;
        return (shown || open).focus();
      }
      return self.clients.openWindow(target.href);
    })(),
  );
});

function ownPage(url) {
  try {
    const page = new URL(url || "/", self.location.origin);
    return page.origin === self.location.origin ? page.pathname + page.search + page.hash : "/";
  } catch (error) {
    return "/";
  }
}
