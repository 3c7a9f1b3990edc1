// OneWindow's service worker: shows a Web Push notification and opens its page on click.
// The server sends JSON {title, body, link}; link is a path of this site (/threads/3).
// Served from /assets/ (cargo xtask frontend copies frontend/assets), so its scope is
// /assets/: it controls no page, which push and notification clicks do not need.

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (e) {
    data = { body: event.data ? event.data.text() : "" };
  }
  const title = data.title || "一窗通办 OneWindow";
  const link = typeof data.link === "string" && data.link.startsWith("/") && !data.link.startsWith("//")
    ? data.link
    : "/notifications";
  event.waitUntil(
    self.registration.showNotification(title, {
      body: data.body || "",
      data: { link },
      tag: link,
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const link = (event.notification.data && event.notification.data.link) || "/notifications";
  const url = new URL(link, self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const w of windows) {
        if (w.url === url && "focus" in w) {
          return w.focus();
        }
      }
      return self.clients.openWindow(url);
    })
  );
});
