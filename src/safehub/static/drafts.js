// Never lose typed work: restore a kept draft, autosave forms marked data-autosave to the
// server, and warn before the idle timeout (GOV.UK/HMRC timeout warning pattern).
// Nothing is written to the browser's storage; everything typed goes to the server only.

const body = document.body;

// The form a kept draft belongs to: the one marked data-autosave, else the page's only form
// that posts (a draft kept when a submit failed may come from any form).
function draftForm() {
  const marked = document.querySelector("main form[data-autosave]");
  if (marked) return marked;
  const posting = [...document.querySelectorAll("main form[method=post]")].filter(
    (form) => !form.closest(".govuk-notification-banner"),
  );
  return posting.length === 1 ? posting[0] : null;
}

const SKIPPED = new Set(["file", "submit", "button", "reset", "image"]);

export function restoreDraft() {
  const source = document.getElementById("safehub-form-draft");
  const form = draftForm();
  if (!source || !form) return;
  let data;
  try {
    data = JSON.parse(source.textContent);
  } catch {
    return;
  }
  const nth = {};
  for (const field of form.elements) {
    const name = field.name;
    if (!name || name === "csrfmiddlewaretoken" || SKIPPED.has(field.type)) continue;
    if (!Object.hasOwn(data, name) || !Array.isArray(data[name])) continue;
    const values = data[name].map(String);
    if (field.type === "radio" || field.type === "checkbox") {
      field.checked = values.includes(field.value);
    } else if (field.tagName === "SELECT") {
      for (const option of field.options) option.selected = values.includes(option.value);
    } else {
      const index = nth[name] || 0;
      nth[name] = index + 1;
      if (index < values.length) field.value = values[index];
    }
  }
  const banner = document.querySelector("[data-draft-banner]");
  if (banner) banner.hidden = false;
}

// Send the form's fields to the server a moment after the user stops typing. Returns a
// function that sends at once whatever has not been sent yet.
export function startAutosave(onSaved) {
  const url = body.dataset.autosaveUrl;
  const form = document.querySelector("main form[data-autosave]");
  if (!url || !form) return async () => {};
  let timer = null;
  let dirty = false;
  const save = async (keepalive = false) => {
    if (!dirty) return;
    dirty = false;
    const data = new FormData(form);
    for (const [name, value] of [...data.entries()]) {
      if (value instanceof File) data.delete(name);
    }
    data.set("draft_path", window.location.pathname);
    try {
      const response = await fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        redirect: "manual",
        keepalive,
      });
      if (response.ok) onSaved();
    } catch {
      dirty = true; // offline for a moment: try again at the next change
    }
  };
  const changed = () => {
    dirty = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 800);
  };
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", () => {
    // The submit itself carries everything; a late autosave must not bring the draft back.
    window.clearTimeout(timer);
    dirty = false;
  });
  window.addEventListener("pagehide", () => save(true));
  return () => save();
}

function inWords(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return `in ${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  return `in ${seconds} second${seconds === 1 ? "" : "s"}`;
}

// Warn before the session's idle timeout; "Stay signed in" asks the server to extend it.
// Returns a function to call whenever the server has seen a request from this page.
export function startTimeoutWarning(flush) {
  const idle = Number(body.dataset.idleSeconds);
  const dialog = document.getElementById("safehub-timeout-warning");
  if (!idle || !dialog || typeof dialog.showModal !== "function") return () => {};
  const warnBefore = Math.min(120, Math.floor(idle / 3));
  const countdown = dialog.querySelector("[data-timeout-countdown]");
  const stayButton = dialog.querySelector("[data-timeout-stay]");
  const token = dialog.querySelector("input[name=csrfmiddlewaretoken]");
  let deadline = 0;
  let warnTimer = null;
  let endTimer = null;
  let tick = null;

  const left = () => Math.max(0, Math.round((deadline - Date.now()) / 1000));
  const end = async () => {
    window.clearInterval(tick);
    await flush();
    // The server signs the session out and shows the sign-in page, which brings the user
    // back here (with what they typed) after they sign in again.
    window.location.assign(window.location.pathname + window.location.search);
  };
  const warn = () => {
    countdown.textContent = inWords(left());
    if (!dialog.open) dialog.showModal();
    window.clearInterval(tick);
    tick = window.setInterval(() => {
      countdown.textContent = inWords(left());
    }, 5000);
  };
  const reset = () => {
    deadline = Date.now() + idle * 1000;
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    warnTimer = window.setTimeout(warn, (idle - warnBefore) * 1000);
    // A moment after the server's limit, so the server agrees the session is over.
    endTimer = window.setTimeout(end, idle * 1000 + 2000);
  };
  const stay = async () => {
    window.clearInterval(tick);
    const data = new FormData();
    if (token) data.set("csrfmiddlewaretoken", token.value);
    try {
      const response = await fetch(body.dataset.staySignedInUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        redirect: "manual",
      });
      if (!response.ok) {
        await end();
        return;
      }
    } catch {
      // No connection: keep the warning's timers; the next attempt may work.
    }
    if (dialog.open) dialog.close();
    reset();
  };
  stayButton.addEventListener("click", stay);
  // Escape closes the dialog: treat it as "Stay signed in", as the HMRC pattern does.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stay();
  });
  reset();
  return reset;
}
