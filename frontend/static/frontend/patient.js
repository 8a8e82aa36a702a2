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
 *   A send that stops while the phone says it is online (the "online" event comes before the network
 *   carries anything, or the server is briefly away) is tried again by itself after 2, 5, 15, 30 and
 *   then every 60 seconds while the page is open: a red flag must not wait for the next page load. A
 *   send with no answer after 10 seconds counts as failed.
 * - A "something is wrong" report made offline is never lost: it is kept the same way (with the form's
 *   idempotency key and the day it was made), its advice and the clinic's phone are shown at once, and
 *   every patient page shows a "not sent yet - send now" banner until it is sent. It is sent to the
 *   red-flag page itself (which joins it to that day's session, or records a symptom report), so the
 *   rule is the same online and offline; the key makes a repeated send return the first report.
 */
(function () {
  "use strict";

  const configNode = document.getElementById("patient-config");
  if (!configNode) return;
  const config = JSON.parse(configNode.textContent);
  const PAGE_CACHE = "rehab-pages";
  const SAVED_TEXT = gettext("Saved on this phone; it will be sent when you are back online.");
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
    const language = document.documentElement.lang || "en";
    return day.toLocaleDateString(language === "en" ? "en-GB" : language, { weekday: "short", day: "numeric", month: "short" });
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
        if (label) label.textContent = interpolate(gettext("today, %(day)s"), { day: dayWords(today) });
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
    const chosen = (name) => form.querySelector(`input[name="${name}"]:checked`);
    const problems = [];
    if (form.id === "red-flag-form") {
      if (!chosen("red_flags")) problems.push(["red_flags", gettext("Tick what is happening.")]);
      if (form.querySelector('input[name="pain_now"]') && !chosen("pain_now")) {
        problems.push(["pain_now", gettext("Choose how much pain you have right now, from 0 to 10.")]);
      }
      return problems;
    }
    if (form.id !== "log-form") return [];
    const anyDone = form.querySelector('input[type="checkbox"][name^="item_"]:checked');
    const cr10 = form.querySelector('input[name="effort_value"]');
    if (anyDone && cr10 && !chosen("effort_value")) problems.push(["effort_value", gettext("Choose how hard the exercises felt, from 0 to 10.")]);
    if (anyDone && !cr10 && !chosen("session_rpe")) problems.push(["session_rpe", gettext("Choose how hard the exercises felt, from 6 to 20.")]);
    if (!chosen("pain_during")) problems.push(["pain_during", gettext("Choose how much pain you had during the exercises, from 0 to 10.")]);
    if (!chosen("pain_after")) problems.push(["pain_after", gettext("Choose how much pain you had after the exercises, from 0 to 10.")]);
    return problems;
  }

  function showProblems(problems) {
    const box = document.getElementById("offline-errors");
    if (!box) return;
    box.replaceChildren();
    const title = document.createElement("h2");
    title.textContent = gettext("Please check");
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
    back.textContent = gettext("Back to today");
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

  // ---------------------------------------------------------------- red flags kept on the phone
  const isRedFlag = (entry) => entry.action === config.somethingWrongUrl;

  // The advice for the flags of every report not sent yet: from the page config (every patient page
  // carries it, so the copy the service worker kept has it too), shown with the clinic's phone.
  function showPendingAdvice(entries) {
    const box = document.getElementById("offline-advice");
    if (!box) return;
    const codes = new Set();
    entries.forEach((entry) => entry.fields.forEach(([name, value]) => name === "red_flags" && codes.add(value)));
    if (codes.size === 0) {
      // Nothing left to send: a box shown for a report that has now gone says so.
      if (!box.hidden) box.querySelector("h2").textContent = gettext("Sent: your care team has been told");
      return false;
    }
    const list = box.querySelector(".advice");
    list.replaceChildren();
    for (const code of codes) {
      const item = document.createElement("li");
      item.textContent = (config.redFlagAdvice || {})[code] || "";
      list.append(item);
    }
    box.hidden = false;
    const form = document.getElementById("red-flag-form");
    if (form) form.hidden = true;
    return true;
  }

  async function keepRedFlag(form, submitter) {
    const fields = fieldsOf(form, submitter).filter(([name]) => name !== "reported_on");
    // The day the patient reported it, in their own zone: a report sent tomorrow still belongs to today.
    fields.push(["reported_on", localIsoDate(new Date())]);
    const get = (name) => (fields.find(([key]) => key === name) || [])[1];
    const entry = { id: get("idempotency_key"), action: config.somethingWrongUrl, owner: get("owner"), fields, savedAt: Date.now() };
    await outboxPut(entry);
    showPendingAdvice([entry]);
    const box = document.getElementById("offline-advice");
    if (box) box.focus();
    await showOutbox();
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.id === "red-flag-form" && form.elements.reported_on) form.elements.reported_on.value = localIsoDate(new Date());
    if (navigator.onLine) return; // the page posts as usual; sw.js keeps it if the network fails
    if (form.id !== "red-flag-form" && !form.hasAttribute("data-offline-queue")) return;
    event.preventDefault();
    const problems = missingAnswers(form);
    if (problems.length) {
      showProblems(problems);
      return;
    }
    const keep = form.id === "red-flag-form" ? keepRedFlag : keepOffline;
    keep(form, event.submitter).catch(() => say(gettext("This phone could not keep your answers. Please try again.")));
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
    if (isRedFlag(entry)) {
      // The red-flag form as the page posts it (several red_flags fields): the view's own rule applies.
      return {
        method: "POST",
        url: config.somethingWrongUrl,
        form: new URLSearchParams(entry.fields),
        label: interpolate(gettext("what you reported as wrong on %(day)s"), { day: dayWords(fields.get("reported_on")) }),
      };
    }
    if (entry.action === config.nextMorningUrl) {
      return {
        method: "PATCH",
        url: `${config.checkinsApi}${fields.get("checkin")}/`,
        body: { pain_next_morning: number("pain_next_morning") },
        label: gettext("your pain this morning"),
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
        ...(fields.has("effort_scale")
          ? { effort_scale: fields.get("effort_scale"), effort_value: number("effort_value") }
          : { session_rpe: number("session_rpe") }),
        pain_during: number("pain_during"),
        pain_after: number("pain_after"),
        notes: fields.get("notes") || "",
      },
      label: interpolate(gettext("your session of %(day)s"), { day: dayWords(fields.get("date")) }),
    };
  }

  // A send the network leaves hanging (a phone between networks, a worker still switching back from
  // offline) is given up after this long and tried again like any other failed send.
  const SEND_TIMEOUT_MS = 10000;

  function timeoutSignal(ms) {
    if (window.AbortSignal && AbortSignal.timeout) return AbortSignal.timeout(ms);
    const controller = new AbortController();
    window.setTimeout(() => controller.abort(), ms);
    return controller.signal;
  }

  // Sends every kept entry. Returns whether it stopped with entries still to send (tried again later)
  // and how many it sent; keepMessage keeps a "sent" message an earlier round of the same run showed.
  async function sendAll(keepMessage = false) {
    if (!navigator.onLine || !window.indexedDB) return { stopped: false, sent: 0 };
    const entries = (await outboxAll()).filter((entry) => entry.owner === config.owner && !entry.error);
    const sent = [];
    let stopped = false;
    for (const entry of entries) {
      const request = toRequest(entry);
      let response;
      try {
        response = await fetch(request.url, {
          method: request.method,
          credentials: "same-origin",
          headers: {
            "Content-Type": request.form ? "application/x-www-form-urlencoded" : "application/json",
            Accept: request.form ? "text/html" : "application/json",
            "Accept-Language": document.documentElement.lang || "en",
            "X-CSRFToken": csrfToken(),
            "Idempotency-Key": entry.id,
          },
          body: request.form ? request.form.toString() : JSON.stringify(request.body),
          signal: timeoutSignal(SEND_TIMEOUT_MS),
        });
      } catch (error) {
        stopped = true;
        break; // still offline: try again later
      }
      if (request.form) {
        // Recorded: the page answers with a redirect to the report's own page (/something-wrong/<id>/).
        const landed = new URL(response.url, location.href).pathname;
        if (response.ok && response.redirected && landed.startsWith(config.somethingWrongUrl) && landed !== config.somethingWrongUrl) {
          await outboxDelete(entry.id);
          sent.push(request.label);
        } else if (response.status === 400 || (response.ok && !response.redirected)) {
          entry.error = interpolate(gettext("The report could not be recorded: %(status)s"), { status: response.status });
          await outboxPut(entry); // kept, and the patient is asked to call the clinic
        } else {
          stopped = true;
          break; // signed out (sent to the sign-in page), the server is down, or sw.js kept it again: try later
        }
        continue;
      }
      if (response.ok) {
        await outboxDelete(entry.id);
        sent.push(request.label);
      } else if (response.status === 400) {
        const problem = await response.text();
        // The API answers in the language this request asks for (the page's, below), so the page's
        // catalogue has the same words.
        const alreadyLogged = gettext("A session is already logged for this day; change it instead.");
        if (problem.includes("already logged") || problem.includes(alreadyLogged)) {
          await outboxDelete(entry.id); // the server has a session for that day already
          sent.push(interpolate(gettext("%(what)s (it was already saved)"), { what: request.label }));
        } else {
          entry.error = problem;
          await outboxPut(entry); // kept, never dropped: the patient is told below
        }
      } else {
        stopped = true;
        break; // signed out, or the server is down: keep everything and try later
      }
    }
    if (sent.length) say(interpolate(gettext("Sent to your care team: %(what)s."), { what: sent.join("; ") }));
    await showOutbox(sent.length > 0 || keepMessage);
    return { stopped, sent: sent.length };
  }

  async function showOutbox(keepMessage) {
    if (!window.indexedDB) return;
    const all = (await outboxAll()).filter((entry) => entry.owner === config.owner);
    showRedFlagBanner(all.filter(isRedFlag));
    const mine = all.filter((entry) => !isRedFlag(entry));
    const waiting = mine.filter((entry) => !entry.error).length;
    const failed = mine.filter((entry) => entry.error).length;
    const parts = [];
    if (waiting) {
      const text = ngettext(
        "%(count)s answer is saved on this phone and will be sent when you are back online.",
        "%(count)s answers are saved on this phone and will be sent when you are back online.",
        waiting,
      );
      parts.push(interpolate(text, { count: waiting }));
    }
    if (failed) {
      const text = ngettext(
        "%(count)s saved answer could not be sent. Please call your clinic and tell them.",
        "%(count)s saved answers could not be sent. Please call your clinic and tell them.",
        failed,
      );
      parts.push(interpolate(text, { count: failed }));
    }
    if (parts.length) say(parts.join(" "));
    else if (!keepMessage) say("");
  }

  // The banner on every patient page while a red flag is not sent: what it is, "Send now", whom to call.
  function showRedFlagBanner(entries) {
    const banner = document.getElementById("red-flag-pending");
    if (!banner) return;
    banner.hidden = entries.length === 0;
    const failed = entries.some((entry) => entry.error);
    const detail = banner.querySelector(".pending-detail");
    if (detail) {
      detail.textContent = failed
        ? gettext("It could not be recorded. Please call your clinic now and tell them.")
        : gettext("Your care team does not know yet. It is sent by itself when you are back online.");
    }
    if (document.getElementById("red-flag-form")) showPendingAdvice(entries);
  }

  function sendNow() {
    if (!navigator.onLine) {
      say(gettext("You are still offline, so it cannot be sent yet. Please call your clinic now."));
      return;
    }
    sync();
  }

  // Seconds before each new try of a send that stopped while online; the last one repeats.
  const RETRY_SECONDS = [2, 5, 15, 30, 60];
  let retries = 0;
  let retryTimer = null;
  let again = false;

  function sync() {
    const run = async () => {
      let stopped;
      let sent = 0;
      do {
        again = false; // a "send now" or "online" that came during this run asks for one more
        const round = await sendAll(sent > 0).catch(() => ({ stopped: true, sent: 0 }));
        stopped = round.stopped;
        sent += round.sent;
      } while (again && !stopped);
      if (stopped && navigator.onLine) {
        window.clearTimeout(retryTimer);
        const seconds = RETRY_SECONDS[Math.min(retries, RETRY_SECONDS.length - 1)];
        retries += 1;
        retryTimer = window.setTimeout(sync, seconds * 1000);
      } else if (!stopped) {
        retries = 0;
      }
    };
    if (navigator.locks) {
      // One send at a time across the patient's tabs; a call while this tab's run is going asks it for
      // another round (another tab's run is sending the same entries).
      return navigator.locks.request("rehab-outbox", { ifAvailable: true }, (lock) => {
        if (!lock) {
          again = true;
          return undefined;
        }
        return run();
      });
    }
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

  const sendButton = document.getElementById("send-red-flag-now");
  if (sendButton) sendButton.addEventListener("click", sendNow);

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
