/* Patient pages: offline reading and offline logging, on top of pages that work without JavaScript.
 *
 * - Registers the service worker (sw.js), which keeps copies of the pages for offline use.
 * - Gives each form a fresh idempotency key when the page is shown (a page read from the offline
 *   copy would otherwise reuse the key of the day it was saved).
 * - Offline, a submitted session (or next-morning pain) is kept in IndexedDB with its key and the
 *   patient reads "Saved on this phone; it will be sent when you are back online".
 * - Online again (the "online" event, or the next page load), every kept entry is sent to the API
 *   with its Idempotency-Key: 200/201 or "already logged" removes it; anything else keeps it.
 *   Retries with the same key return the first check-in, so nothing is ever logged twice.
 */
(function () {
  "use strict";

  const configNode = document.getElementById("patient-config");
  if (!configNode) return;
  const config = JSON.parse(configNode.textContent);
  const PAGE_CACHE = "rehab-pages";
  const SAVED_TEXT = "Saved on this phone; it will be sent when you are back online.";
  const statusNode = document.getElementById("outbox-status");

  // ---------------------------------------------------------------- outbox (IndexedDB)
  function outbox(mode, action) {
    return new Promise((resolve, reject) => {
      const open = indexedDB.open("rehab-offline", 1);
      open.onupgradeneeded = () => open.result.createObjectStore("outbox", { keyPath: "id" });
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const tx = open.result.transaction("outbox", mode);
        const request = action(tx.objectStore("outbox"));
        tx.oncomplete = () => resolve(request ? request.result : undefined);
        tx.onerror = () => reject(tx.error);
      };
    });
  }
  const outboxAll = () => outbox("readonly", (store) => store.getAll());
  const outboxPut = (entry) => outbox("readwrite", (store) => store.put(entry));
  const outboxDelete = (id) => outbox("readwrite", (store) => store.delete(id));

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function localIsoDate(date) {
    const pad = (n) => String(n).padStart(2, "0");
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  }

  function dayWords(iso) {
    if (!iso) return "";
    const day = new Date(iso + "T12:00:00");
    return day.toLocaleDateString("en-GB", { weekday: "short", day: "numeric", month: "short" });
  }

  function say(text) {
    statusNode.textContent = text;
    statusNode.hidden = !text;
  }

  // ---------------------------------------------------------------- forms
  function freshKeys() {
    document.querySelectorAll('input[name="idempotency_key"]').forEach((input) => {
      input.value = uuid();
    });
    // A copy of the log page saved on an earlier day still means "today" when it says so.
    const log = document.getElementById("log-form");
    if (log && log.hasAttribute("data-today")) {
      const today = localIsoDate(new Date());
      if (log.elements.date.value < today) {
        log.elements.date.value = today;
        const label = document.getElementById("log-day");
        if (label) label.textContent = "today, " + dayWords(today);
      }
    }
  }

  function fieldsOf(form, submitter) {
    let data;
    try {
      data = new FormData(form, submitter || undefined);
    } catch (error) {
      data = new FormData(form);
      if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    }
    return Array.from(data.entries()).filter(
      ([name, value]) => typeof value === "string" && name !== "csrfmiddlewaretoken",
    );
  }

  function missingAnswers(form) {
    if (form.id !== "log-form") return [];
    const chosen = (name) => form.querySelector(`input[name="${name}"]:checked`);
    const problems = [];
    const anyDone = form.querySelector('input[type="checkbox"][name^="item_"]:checked');
    if (anyDone && !chosen("session_rpe")) problems.push(["session_rpe", "Choose how hard the exercises felt, from 6 to 20."]);
    if (!chosen("pain_during")) problems.push(["pain_during", "Choose how much pain you had during the exercises, from 0 to 10."]);
    if (!chosen("pain_after")) problems.push(["pain_after", "Choose how much pain you had after the exercises, from 0 to 10."]);
    return problems;
  }

  function showProblems(problems) {
    const box = document.getElementById("offline-errors");
    if (!box) return;
    box.replaceChildren();
    const title = document.createElement("h2");
    title.textContent = "Please check";
    const list = document.createElement("ul");
    for (const [name, text] of problems) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = "#q-" + name;
      link.textContent = text;
      item.append(link);
      list.append(item);
    }
    box.append(title, list);
    box.hidden = false;
    box.tabIndex = -1;
    box.focus();
  }

  async function keepOffline(form, submitter) {
    const fields = fieldsOf(form, submitter);
    const get = (name) => (fields.find(([key]) => key === name) || [])[1];
    const action = new URL(form.action, location.href).pathname;
    const id = get("idempotency_key") || "nm-" + get("checkin");
    await outboxPut({ id, action, owner: get("owner"), fields, savedAt: Date.now() });
    const done = document.createElement("section");
    done.className = "card saved";
    done.tabIndex = -1;
    done.setAttribute("role", "status");
    const text = document.createElement("p");
    const strong = document.createElement("strong");
    strong.textContent = SAVED_TEXT;
    text.append(strong, " You do not need to log it again.");
    const back = document.createElement("a");
    back.className = "button";
    back.href = config.todayUrl;
    back.textContent = "Back to today";
    const backLine = document.createElement("p");
    backLine.append(back);
    done.append(text, backLine);
    const holder = form.closest("section") || form;
    holder.replaceWith(done);
    done.focus();
    const errors = document.getElementById("offline-errors");
    if (errors) errors.hidden = true;
    showOutbox();
  }

  function showOfflineAdvice(form) {
    const box = document.getElementById("offline-advice");
    const list = box.querySelector(".advice");
    list.replaceChildren();
    form.querySelectorAll('input[name="red_flags"]:checked').forEach((flag) => {
      const item = document.createElement("li");
      item.textContent = flag.dataset.advice;
      list.append(item);
    });
    box.hidden = false;
    box.focus();
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (navigator.onLine) return; // the page posts as usual; sw.js keeps it if the network fails
    if (form.id === "red-flag-form") {
      event.preventDefault();
      showOfflineAdvice(form);
      return;
    }
    if (!form.hasAttribute("data-offline-queue")) return;
    event.preventDefault();
    const problems = missingAnswers(form);
    if (problems.length) {
      showProblems(problems);
      return;
    }
    keepOffline(form, event.submitter).catch(() => say("This phone could not keep your answers. Please try again."));
  });

  // Signing out removes the saved pages (health data) from this phone; unsent entries stay.
  document.querySelectorAll('form[action$="/logout/"]').forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!("caches" in window)) return;
      event.preventDefault();
      caches.delete(PAGE_CACHE).finally(() => form.submit());
    });
  });

  // ---------------------------------------------------------------- sending kept entries
  function csrfToken() {
    const cookie = document.cookie.split("; ").find((part) => part.startsWith(config.csrfCookie + "="));
    if (cookie) return decodeURIComponent(cookie.split("=")[1]);
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (error) {
      return "";
    }
  }

  function toRequest(entry) {
    const fields = new Map(entry.fields);
    const number = (name) => (fields.get(name) ? Number(fields.get(name)) : null);
    if (entry.action === config.nextMorningUrl) {
      return {
        method: "PATCH",
        url: `${config.checkinsApi}${fields.get("checkin")}/`,
        body: { pain_next_morning: number("pain_next_morning") },
        label: "your pain this morning",
      };
    }
    const ids = (fields.get("shown_items") || "").split(",").filter(Boolean);
    return {
      method: "POST",
      url: config.checkinsApi,
      body: {
        plan: number("plan"),
        date: fields.get("date"),
        // sets/reps/minutes: what a followed session counted (follow.js), else null.
        items: ids.map((id) => ({
          plan_item: Number(id),
          done: fields.has("item_" + id),
          sets: fields.has("item_" + id) ? number("sets_" + id) : null,
          reps: fields.has("item_" + id) ? number("reps_" + id) : null,
          minutes: fields.has("item_" + id) ? number("minutes_" + id) : null,
        })),
        session_rpe: number("session_rpe"),
        pain_during: number("pain_during"),
        pain_after: number("pain_after"),
        notes: fields.get("notes") || "",
      },
      label: "your session of " + dayWords(fields.get("date")),
    };
  }

  async function sendAll() {
    if (!navigator.onLine || !window.indexedDB) return;
    const entries = (await outboxAll()).filter((entry) => entry.owner === config.owner && !entry.error);
    const sent = [];
    for (const entry of entries) {
      const request = toRequest(entry);
      let response;
      try {
        response = await fetch(request.url, {
          method: request.method,
          credentials: "same-origin",
          headers: {
            "Content-Type": "application/json",
            Accept: "application/json",
            "X-CSRFToken": csrfToken(),
            "Idempotency-Key": entry.id,
          },
          body: JSON.stringify(request.body),
        });
      } catch (error) {
        break; // still offline: try again later
      }
      if (response.ok) {
        await outboxDelete(entry.id);
        sent.push(request.label);
      } else if (response.status === 400) {
        const problem = await response.text();
        if (problem.includes("already logged")) {
          await outboxDelete(entry.id); // the server has a session for that day already
          sent.push(request.label + " (it was already saved)");
        } else {
          entry.error = problem;
          await outboxPut(entry); // kept, never dropped: the patient is told below
        }
      } else {
        break; // signed out, or the server is down: keep everything and try later
      }
    }
    if (sent.length) say("Sent to your care team: " + sent.join("; ") + ".");
    await showOutbox(sent.length > 0);
  }

  async function showOutbox(keepMessage) {
    if (!window.indexedDB) return;
    const mine = (await outboxAll()).filter((entry) => entry.owner === config.owner);
    const waiting = mine.filter((entry) => !entry.error).length;
    const failed = mine.filter((entry) => entry.error).length;
    const parts = [];
    if (waiting) parts.push(`${waiting} answer${waiting > 1 ? "s are" : " is"} saved on this phone and will be sent when you are back online.`);
    if (failed) parts.push(`${failed} saved answer${failed > 1 ? "s" : ""} could not be sent. Please call your clinic and tell them.`);
    if (parts.length) say(parts.join(" "));
    else if (!keepMessage) say("");
  }

  function sync() {
    const run = () => sendAll().catch(() => undefined);
    if (navigator.locks) return navigator.locks.request("rehab-outbox", { ifAvailable: true }, (lock) => lock && run());
    return run();
  }

  // ---------------------------------------------------------------- offline copies of pages
  function showOnlineState() {
    const banner = document.getElementById("offline-banner");
    if (banner) banner.hidden = navigator.onLine;
  }

  async function keepLinkedPages() {
    if (!navigator.onLine || !("caches" in window)) return;
    // With the service worker in charge, its network-first handler keeps the copy itself; a second
    // put from here could be cut short by leaving the page and lose the entry.
    const controlled = navigator.serviceWorker && navigator.serviceWorker.controller;
    const cache = await caches.open(PAGE_CACHE);
    const urls = new Set(Array.from(document.querySelectorAll("a[data-offline]"), (a) => a.href));
    for (const url of urls) {
      try {
        const response = await fetch(url, { credentials: "same-origin" });
        if (controlled) await response.arrayBuffer();
        else if (response.ok && !response.redirected) await cache.put(url, response);
      } catch (error) {
        return;
      }
    }
  }

  window.addEventListener("online", () => {
    showOnlineState();
    sync();
  });
  window.addEventListener("offline", showOnlineState);

  freshKeys();
  showOnlineState();
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus(); // read the problems first, then follow a link to each question
  showOutbox().then(sync);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(config.sw, { scope: "/" }).catch(() => undefined);
  }
  window.setTimeout(() => keepLinkedPages().catch(() => undefined), 1500);
})();
