/* Notifications on this phone (the Reminders page): subscribe and unsubscribe with the Push API.
 *
 * Turning on asks the browser's permission, subscribes through the service worker with the
 * server's VAPID public key and hands the subscription to /api/v1/me/push-subscriptions/ (the
 * session cookie and CSRF token sign the call). Turning off tells the server first, then ends the
 * browser's own subscription. Without push support the page says reminders come by email.
 * Settings come from the page's JSON (#push-config): no inline script, as the CSP wants.
 */
"use strict";

(function () {
  const source = document.getElementById("push-config");
  if (!source) return;
  const config = JSON.parse(source.textContent);
  const state = document.getElementById("push-state");
  const turnOn = document.getElementById("push-on");
  const turnOff = document.getElementById("push-off");

  function say(text) {
    state.textContent = text;
  }

  function supported() {
    return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  }

  function csrfToken() {
    const prefix = config.csrfCookie + "=";
    const cookie = document.cookie.split("; ").find((part) => part.startsWith(prefix));
    return cookie ? decodeURIComponent(cookie.slice(prefix.length)) : "";
  }

  function keyBytes(base64url) {
    const base64 = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  }

  function api(method, url, body) {
    return fetch(url, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async function registration() {
    await navigator.serviceWorker.register(config.sw, { scope: "/" });
    return navigator.serviceWorker.ready;
  }

  async function show() {
    const subscription = await (await registration()).pushManager.getSubscription();
    turnOn.parentElement.hidden = Boolean(subscription);
    turnOff.parentElement.hidden = !subscription;
    say(
      subscription
        ? gettext("Notifications are on for this phone: your reminders come here.")
        : gettext("Notifications are off for this phone: your reminders come by email."),
    );
  }

  async function subscribe() {
    if (Notification.permission === "denied") {
      say(gettext("Notifications are blocked for this site. Allow them in your browser's settings, then try again."));
      return;
    }
    if ((await Notification.requestPermission()) !== "granted") {
      say(gettext("Notifications were not allowed, so your reminders come by email."));
      return;
    }
    const manager = (await registration()).pushManager;
    let subscription;
    try {
      subscription = await manager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(config.publicKey),
      });
    } catch (error) {
      say(gettext("This phone could not turn notifications on, so your reminders come by email."));
      return;
    }
    const response = await api("POST", config.subscriptionsApi, subscription.toJSON());
    if (!response.ok) {
      await subscription.unsubscribe();
      say(gettext("The server did not accept this phone's notifications, so your reminders come by email."));
      return;
    }
    await show();
  }

  async function unsubscribe() {
    const subscription = await (await registration()).pushManager.getSubscription();
    if (subscription) {
      const response = await api("GET", config.subscriptionsApi);
      const devices = response.ok ? await response.json() : [];
      for (const device of devices) {
        if (device.endpoint === subscription.endpoint) {
          await api("DELETE", config.subscriptionsApi + device.id + "/");
        }
      }
      await subscription.unsubscribe();
    }
    await show();
  }

  function busy(button, work) {
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        await work();
      } catch (error) {
        say(gettext("That did not work (no connection?). Please try again."));
      } finally {
        button.disabled = false;
      }
    });
  }

  if (!supported()) {
    say(gettext("This browser cannot show notifications from a web page, so your reminders come by email."));
    return;
  }
  busy(turnOn, subscribe);
  busy(turnOff, unsubscribe);
  show().catch(() => say(gettext("Notifications could not be checked on this phone; your reminders come by email.")));
})();
