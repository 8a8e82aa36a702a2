/* Follow today's session (today/follow/), and fill the log form in from it (today/log/).
 *
 * Follow page: one step at a time (warm-up, exercises in order, cool-down) with previous/next, a tick
 * per step, a countdown for timed work and holds, a set and repetition counter with a rest countdown
 * between sets. Timers are honest: the time left is always "planned - (now - started)" from Date.now(),
 * so a tab in the background or a phone that slept does not slow them; pausing adds up what ran.
 * At the end of a countdown the phone beeps (Web Audio, after a first tap) and vibrates where it may;
 * the screen is kept awake (Wake Lock API) while a session is being followed. The last seconds are
 * announced politely to screen readers (aria-live), never every second.
 *
 * What was ticked is kept in sessionStorage (this tab only, gone when it closes) for the log form:
 * there the exercises are ticked as followed, and the sets, repetitions (the fewest in a set) and
 * minutes done go along as hidden fields. Effort and pain are never filled in: the patient answers.
 * Works offline: the service worker keeps this file and both pages.
 */
(function () {
  "use strict";

  const STORE = "rehab-follow";
  const ANNOUNCE_AT = [10, 5, 4, 3, 2, 1]; // seconds left that are announced

  // ---------------------------------------------------------------- small helpers
  function clock(ms) {
    const total = Math.ceil(ms / 1000);
    const minutes = Math.floor(total / 60);
    return `${minutes}:${String(total % 60).padStart(2, "0")}`;
  }

  function halfMinutes(ms) {
    return Math.round(ms / 30000) / 2;
  }

  function readJson(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  // ---------------------------------------------------------------- sound, vibration, screen
  let audio = null;

  function unlockSound() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    try {
      if (!audio) audio = new Context();
      if (audio.state === "suspended") audio.resume();
    } catch (error) {
      audio = null;
    }
  }

  function beep(count, pitch) {
    if (audio && audio.state === "running") {
      for (let n = 0; n < count; n += 1) {
        const start = audio.currentTime + n * 0.3;
        const tone = audio.createOscillator();
        const volume = audio.createGain();
        tone.frequency.value = pitch || 880;
        volume.gain.setValueAtTime(0.25, start);
        volume.gain.exponentialRampToValueAtTime(0.001, start + 0.2);
        tone.connect(volume).connect(audio.destination);
        tone.start(start);
        tone.stop(start + 0.22);
      }
    }
    try {
      if (navigator.vibrate) navigator.vibrate(count > 1 ? [200, 100, 200] : 200);
    } catch (error) {
      // not allowed here: the beep and the words on screen say it
    }
  }

  let wakeLock = null;
  let wantAwake = false;

  async function keepAwake() {
    wantAwake = true;
    if (wakeLock || !("wakeLock" in navigator) || document.visibilityState !== "visible") return;
    try {
      wakeLock = await navigator.wakeLock.request("screen");
      wakeLock.addEventListener("release", () => {
        wakeLock = null;
      });
    } catch (error) {
      wakeLock = null; // refused (battery saver, not allowed): the session works the same
    }
  }

  // ---------------------------------------------------------------- an honest countdown
  function Countdown(durationMs, onTick, onEnd) {
    let startedAt = null; // Date.now() when it last started running
    let used = 0; // ms run before the last start
    let interval = null;
    let finished = false;
    const left = () => Math.max(0, durationMs - used - (startedAt === null ? 0 : Date.now() - startedAt));
    const check = () => {
      const remaining = left();
      onTick(remaining);
      if (remaining <= 0 && !finished) {
        finished = true;
        stop();
        onEnd();
      }
    };
    function stop() {
      if (startedAt !== null) used += Date.now() - startedAt;
      startedAt = null;
      window.clearInterval(interval);
      interval = null;
    }
    return {
      start() {
        if (startedAt !== null || finished) return;
        startedAt = Date.now();
        interval = window.setInterval(check, 250);
        check();
      },
      pause() {
        stop();
        onTick(left());
      },
      check() {
        if (startedAt !== null) check();
      },
      running: () => startedAt !== null,
      finished: () => finished,
      elapsed: () => durationMs - left(),
      left,
    };
  }

  // ---------------------------------------------------------------- the follow page
  function followPage(root, config) {
    const steps = Array.from(root.querySelectorAll(".follow-step"));
    const progress = document.getElementById("follow-progress");
    const announcer = document.getElementById("follow-announce");
    const end = document.getElementById("follow-end");
    const nav = root.querySelector(".follow-nav");
    const prev = nav.querySelector("[data-prev]");
    const next = nav.querySelector("[data-next]");
    const controllers = steps.map((node, index) => stepController(node, index));
    let current = 0;

    function say(text) {
      announcer.textContent = text;
    }

    function announceLast(remainingMs, memory) {
      const seconds = Math.ceil(remainingMs / 1000);
      if (seconds !== memory.last && ANNOUNCE_AT.includes(seconds)) {
        say(seconds === 10 ? gettext("10 seconds left") : String(seconds));
      }
      memory.last = seconds;
    }

    function stepController(node, index) {
      const timing = node.dataset.timing;
      const seconds = Number(node.dataset.seconds);
      const sets = Number(node.dataset.sets) || 1;
      const target = Number(node.dataset.reps) || 0;
      const rest = Number(node.dataset.rest) || 0;
      const tick = node.querySelector("[data-tick]");
      const doneWords = node.querySelector("[data-done-words]");
      const setNumber = node.querySelector("[data-set-number]");
      const restBox = node.querySelector("[data-rest-box]");
      const restClock = node.querySelector("[data-rest-clock]");
      const restWords = node.querySelector("[data-rest-words]");
      const state = { item: node.dataset.item, name: node.dataset.name, timing, setsDone: 0, reps: [], minutesMs: 0 };
      let restTimer = null;
      let afterRest = null;
      const memory = { last: null };

      node.querySelector(".follow-controls").hidden = false;
      node.querySelector(".follow-tick").hidden = false;

      function describe() {
        if (!tick.checked) return "";
        if (timing === "sets_reps" && state.setsDone) {
          const text = ngettext(
            "%(done)s of %(sets)s set done, at least %(reps)s repetitions each.",
            "%(done)s of %(sets)s sets done, at least %(reps)s repetitions each.",
            sets,
          );
          return interpolate(text, { done: state.setsDone, sets, reps: Math.min(...state.reps) });
        }
        if (timing === "hold" && state.setsDone) {
          return interpolate(gettext("%(done)s of %(sets)s holds done."), { done: state.setsDone, sets });
        }
        if (timing === "minutes" && state.minutesMs) {
          return interpolate(gettext("%(done)s of %(minutes)s minutes done."), {
            done: halfMinutes(state.minutesMs),
            minutes: seconds / 60,
          });
        }
        return gettext("Done.");
      }

      function changed() {
        doneWords.textContent = describe();
        save();
      }

      function finish(words) {
        tick.checked = true;
        changed();
        say(words);
      }

      function startRest(words, then) {
        if (!rest) {
          then();
          return;
        }
        restWords.textContent = words;
        restBox.hidden = false;
        afterRest = then;
        const restMemory = { last: null };
        restTimer = Countdown(
          rest * 1000,
          (ms) => {
            restClock.textContent = clock(ms);
            announceLast(ms, restMemory);
          },
          () => endRest(true),
        );
        restTimer.start();
      }

      function endRest(timeUp) {
        if (!restTimer) return;
        restTimer.pause();
        restTimer = null;
        restBox.hidden = true;
        if (timeUp) beep(1, 660);
        const then = afterRest;
        afterRest = null;
        if (then) then();
      }
      restBox.querySelector("[data-rest-skip]").addEventListener("click", () => endRest(false));

      tick.addEventListener("change", changed);

      let timer = null;
      let refreshLabel = () => undefined;
      if (timing === "sets_reps") {
        const output = node.querySelector("[data-reps]");
        const setDone = node.querySelector("[data-set-done]");
        let reps = target;
        const show = () => {
          output.value = String(reps);
          output.textContent = String(reps);
        };
        node.querySelector("[data-reps-less]").addEventListener("click", () => {
          reps = Math.max(0, reps - 1);
          show();
        });
        node.querySelector("[data-reps-more]").addEventListener("click", () => {
          reps = Math.min(200, reps + 1);
          show();
        });
        setDone.addEventListener("click", () => {
          unlockSound();
          keepAwake();
          endRest(false);
          state.setsDone += 1;
          state.reps.push(reps);
          reps = target;
          show();
          if (state.setsDone >= sets) {
            setDone.disabled = true;
            setDone.textContent = gettext("All sets done");
            finish(interpolate(gettext("All %(sets)s sets done. Well done."), { sets }));
            return;
          }
          setNumber.textContent = String(state.setsDone + 1);
          changed();
          const number = state.setsDone + 1;
          say(interpolate(gettext("Set %(done)s done. Rest, then set %(next)s of %(sets)s."), { done: state.setsDone, next: number, sets }));
          startRest(interpolate(gettext("Rest before set %(next)s"), { next: number }), () =>
            say(interpolate(gettext("Set %(next)s: go."), { next: number })),
          );
        });
      } else {
        const face = node.querySelector("[data-clock]");
        const button = node.querySelector("[data-start]");
        const holds = timing === "hold" ? sets : 1;
        const newTimer = () =>
          Countdown(
            seconds * 1000,
            (ms) => {
              face.textContent = clock(ms);
              announceLast(ms, memory);
              if (timing === "minutes") state.minutesMs = seconds * 1000 - ms;
            },
            timeUp,
          );
        function label() {
          if (state.setsDone >= holds) return gettext("Done");
          if (timer.running()) return gettext("Pause");
          if (restTimer) return gettext("Start the next hold now");
          if (timer.elapsed() > 0 && !timer.finished()) return gettext("Resume");
          return timing === "hold" ? gettext("Start the hold") : gettext("Start");
        }
        function timeUp() {
          beep(3);
          state.setsDone += 1;
          if (state.setsDone >= holds) {
            button.disabled = true;
            button.textContent = label();
            finish(
              timing === "hold"
                ? interpolate(gettext("All %(holds)s holds done."), { holds })
                : gettext("Time is up. Well done."),
            );
            return;
          }
          changed();
          say(interpolate(gettext("Hold %(done)s done. Rest."), { done: state.setsDone }));
          startRest(interpolate(gettext("Rest before hold %(next)s"), { next: state.setsDone + 1 }), nextHold);
          button.textContent = label();
        }
        function nextHold() {
          setNumber.textContent = String(state.setsDone + 1);
          timer = newTimer();
          memory.last = null;
          timer.start();
          button.textContent = label();
          say(interpolate(gettext("Hold %(next)s: go."), { next: state.setsDone + 1 }));
        }
        refreshLabel = () => {
          if (!button.disabled) button.textContent = label();
        };
        timer = newTimer();
        face.textContent = clock(seconds * 1000);
        button.textContent = label();
        button.addEventListener("click", () => {
          unlockSound();
          keepAwake();
          if (restTimer) {
            endRest(false); // "start" during the rest: the next hold begins now
          } else if (timer.running()) {
            timer.pause();
            say(gettext("Paused"));
          } else if (timer.finished()) {
            if (state.setsDone < holds) nextHold(); // the rest was cut short by leaving the step
          } else {
            timer.start();
          }
          button.textContent = label();
        });
      }

      return {
        node,
        state,
        tick,
        pause() {
          if (timer && timer.running()) timer.pause();
          if (restTimer) restTimer.pause();
          restTimer = null;
          restBox.hidden = true;
          afterRest = null;
          refreshLabel();
        },
        check() {
          if (timer) timer.check();
          if (restTimer) restTimer.check();
        },
        entry() {
          const entry = { done: tick.checked, sets: null, reps: null, minutes: null };
          if (!tick.checked) return entry;
          if (timing === "sets_reps" && state.setsDone) {
            entry.sets = state.setsDone;
            entry.reps = Math.min(...state.reps);
          } else if (timing === "hold" && state.setsDone) {
            entry.sets = state.setsDone;
          } else if (timing === "minutes" && state.minutesMs) {
            entry.minutes = halfMinutes(state.minutesMs) || null;
          }
          return entry;
        },
      };
    }

    function save() {
      const items = {};
      const names = {};
      for (const controller of controllers) {
        if (!controller.state.item) continue;
        items[controller.state.item] = controller.entry();
        names[controller.state.item] = controller.state.name;
      }
      try {
        sessionStorage.setItem(STORE, JSON.stringify({ owner: config.owner, date: config.date, items, names }));
      } catch (error) {
        // private mode without storage: the log form is then ticked by hand
      }
    }

    function summary() {
      const list = end.querySelector("[data-summary]");
      list.replaceChildren();
      for (const controller of controllers) {
        const item = document.createElement("li");
        const words = controller.tick.checked
          ? controller.node.querySelector("[data-done-words]").textContent
          : gettext("Not done.");
        item.textContent = interpolate(gettext("%(name)s: %(words)s"), { name: controller.state.name, words });
        list.append(item);
      }
      list.hidden = false;
    }

    function show(index) {
      if (controllers[current]) controllers[current].pause();
      current = index;
      const atEnd = index >= steps.length;
      steps.forEach((node, n) => {
        node.hidden = n !== index;
      });
      end.hidden = !atEnd;
      prev.disabled = index === 0;
      next.hidden = atEnd;
      next.textContent = index === steps.length - 1 ? gettext("Finish") : gettext("Next");
      progress.textContent = atEnd
        ? interpolate(gettext("All %(count)s steps seen"), { count: steps.length })
        : interpolate(gettext("Step %(number)s of %(count)s"), { number: index + 1, count: steps.length });
      if (atEnd) {
        save();
        summary();
        end.querySelector("h2").focus();
      } else {
        steps[index].querySelector("h2").focus();
      }
      window.scrollTo(0, 0);
    }

    root.classList.add("is-following");
    nav.hidden = false;
    progress.hidden = false;
    prev.addEventListener("click", () => show(Math.max(0, current - 1)));
    next.addEventListener("click", () => show(Math.min(steps.length, current + 1)));
    const log = end.querySelector("[data-follow-log]");
    if (log) log.addEventListener("click", save);
    document.addEventListener("visibilitychange", () => {
      // Back in front: bring every clock up to date at once, and ask for the screen again.
      if (document.visibilityState !== "visible") return;
      controllers.forEach((controller) => controller.check());
      if (wantAwake) keepAwake();
    });

    // A drawing that is not there (yet) leaves no broken image behind.
    root.querySelectorAll(".follow-picture img").forEach((img) => {
      const hide = () => {
        img.closest("figure").hidden = true;
      };
      if (img.complete && img.naturalWidth === 0) hide();
      else img.addEventListener("error", hide);
    });

    save();
    show(0);
    window.scrollTo(0, 0);
  }

  // ---------------------------------------------------------------- the log form, filled in
  function prefillLog(form) {
    let saved;
    try {
      saved = JSON.parse(sessionStorage.getItem(STORE) || "null");
    } catch (error) {
      return;
    }
    const patient = readJson("patient-config");
    if (!saved || !patient || saved.owner !== patient.owner || form.elements.date.value !== saved.date) return;
    // After a refused save the page shows the patient's own answers: leave their ticks alone.
    const keepTicks = Boolean(document.getElementById("error-summary"));
    const lines = [];
    for (const [id, entry] of Object.entries(saved.items)) {
      const box = form.elements["item_" + id];
      if (!box) continue;
      if (!keepTicks) box.checked = entry.done;
      for (const amount of ["sets", "reps", "minutes"]) {
        if (entry[amount] === null || entry[amount] === undefined || form.elements[`${amount}_${id}`]) continue;
        const hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = `${amount}_${id}`;
        hidden.value = String(entry[amount]);
        form.append(hidden);
      }
      let words = entry.done ? gettext("done") : gettext("not done");
      if (entry.sets && entry.reps) {
        words = interpolate(ngettext("%(sets)s set of at least %(reps)s", "%(sets)s sets of at least %(reps)s", entry.sets), {
          sets: entry.sets,
          reps: entry.reps,
        });
      } else if (entry.sets) {
        words = interpolate(ngettext("%(sets)s hold", "%(sets)s holds", entry.sets), { sets: entry.sets });
      } else if (entry.minutes) {
        words = interpolate(gettext("%(minutes)s minutes"), { minutes: entry.minutes });
      }
      lines.push(interpolate(gettext("%(name)s: %(words)s"), { name: saved.names[id] || gettext("Exercise"), words }));
    }
    if (!lines.length) return;
    const note = document.createElement("div");
    note.className = "card follow-note";
    const text = document.createElement("p");
    const strong = document.createElement("strong");
    strong.textContent = gettext("Filled in from the session you followed.");
    text.append(strong, " ", gettext("Check the ticks below, then say how hard it felt and how much pain you had."));
    const list = document.createElement("ul");
    for (const line of lines) {
      const item = document.createElement("li");
      item.textContent = line;
      list.append(item);
    }
    note.append(text, list);
    form.prepend(note);
  }

  const root = document.getElementById("follow");
  const config = readJson("follow-config");
  if (root && config) followPage(root, config);
  const logForm = document.getElementById("log-form");
  if (logForm) prefillLog(logForm);
})();
