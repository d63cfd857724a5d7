// The delegation's report editor: autosave through htmx, adding and removing register rows.
// No inline script anywhere (the Content-Security-Policy forbids it): everything is wired here.
(() => {
  "use strict";
  const AUTOSAVE_MS = 5000;

  function setupAutosave(form) {
    let dirty = false;
    let inFlight = false;
    let stopped = false;
    const status = document.getElementById("autosave-status");

    // htmx fires some events on the swap target (inside the form), some on the form itself.
    const ours = (event) => {
      const detail = event.detail || {};
      return detail.elt === form || (detail.requestConfig && detail.requestConfig.elt === form)
        || (event.target instanceof Node && form.contains(event.target));
    };
    const save = () => {
      if (!dirty || inFlight || stopped || !window.htmx) return;
      dirty = false;
      window.htmx.trigger(form, "autosave");
    };
    form.addEventListener("input", () => { dirty = true; });
    form.addEventListener("change", () => { dirty = true; });
    form.addEventListener("focusout", (event) => {
      // Leaving a field for the Save button: the explicit save follows, no autosave.
      const next = event.relatedTarget;
      if (next instanceof HTMLElement && next.closest("button[type=submit]")) return;
      save();
    });
    window.setInterval(save, AUTOSAVE_MS);
    // An explicit Save takes over; if an autosave is under way it waits for it, so that it
    // carries the revision that autosave returns rather than conflicting with it.
    let submitWaiting = false;
    let pendingHref = null;
    let pendingSubmitter = null;
    form.addEventListener("submit", (event) => {
      if (inFlight) {
        event.preventDefault();
        submitWaiting = true;
        pendingSubmitter = event.submitter || null;
        return;
      }
      stopped = true;
    });

    document.body.addEventListener("htmx:beforeRequest", (event) => { if (ours(event)) inFlight = true; });
    document.body.addEventListener("htmx:afterRequest", (event) => {
      if (!ours(event)) return;
      inFlight = false;
      if (submitWaiting) {
        const submitter = pendingSubmitter;
        submitWaiting = false;
        pendingSubmitter = null;
        // After htmx has swapped in the new revision.
        window.setTimeout(() => (submitter ? form.requestSubmit(submitter) : form.requestSubmit()), 50);
        return;
      }
      if (pendingHref && event.detail.successful && !stopped) {
        // Typed while that save was under way (an interval autosave the link click found in
        // flight): save that too before leaving, or it would only go out with the page's unload.
        if (dirty) { save(); return; }
        const href = pendingHref;
        pendingHref = null;
        window.location.assign(href);
        return;
      }
      if (!event.detail.successful && event.detail.xhr && event.detail.xhr.status !== 409) {
        dirty = true; // try again at the next tick
        if (status) status.textContent = status.dataset.failed || "";
      }
    });
    document.body.addEventListener("htmx:sendError", (event) => {
      if (ours(event)) { inFlight = false; dirty = true; }
    });
    document.body.addEventListener("htmx:beforeSwap", (event) => {
      if (ours(event) && event.detail.xhr.status === 409) {
        event.detail.shouldSwap = true; // show the conflict notice
        event.detail.isError = false;
        stopped = true;
      } else if (ours(event) && event.detail.xhr.status >= 400 && event.detail.xhr.status < 500
                 && event.detail.xhr.responseText.includes("data-save-refused")) {
        // The server refused the save and says why (nothing was changed): show it, and try
        // again only after the next change rather than every few seconds.
        event.detail.shouldSwap = true;
        event.detail.isError = false;
      }
    });
    // Leaving the page by a link (another section, the review page) saves first.
    document.addEventListener("click", (event) => {
      const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
      if (!link || stopped || !(dirty || inFlight) || link.target || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      pendingHref = link.href;
      if (!inFlight) save();
    });

    // Closing the tab, leaving by the address bar or the back button, or hiding the page (a
    // phone switching apps): what was typed since the last autosave goes out at once, in a
    // request the browser completes after the page is gone. fetch with keepalive lets a page
    // that is only hidden read the new revision back; sendBeacon is the fallback. Neither can
    // set htmx's headers: the CSRF token travels in the body (the form's csrfmiddlewaretoken),
    // with the revision, so the server's conflict rules apply as to any autosave.
    const applyAnswer = (html, status) => {
      if (!document.body.contains(form)) return;
      if (window.htmx && typeof window.htmx.swap === "function") {
        window.htmx.swap("#autosave-status", html, { swapStyle: "innerHTML" });
      }
      if (status === 409) stopped = true;
    };
    const saveOnLeave = () => {
      if (!dirty || stopped) return;
      dirty = false;
      const body = new URLSearchParams(new FormData(form));
      body.set("_unload", "1");
      const url = form.getAttribute("hx-post") || form.action;
      let request = null;
      if (window.fetch) {
        try {
          request = window.fetch(url, { method: "POST", body, keepalive: true, credentials: "same-origin" });
        } catch (error) {
          request = null;
        }
      }
      if (!request) {
        if (!(navigator.sendBeacon && navigator.sendBeacon(url, body))) dirty = true;
        return;
      }
      inFlight = true;
      request
        .then((response) => response.text().then((html) => {
          if (response.ok || response.status === 409) applyAnswer(html, response.status);
          else dirty = true;
        }))
        .catch(() => { dirty = true; })
        .finally(() => { inFlight = false; });
    };
    window.addEventListener("pagehide", saveOnLeave);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") saveOnLeave();
    });

  }

  // A register shows one page of rows; its forms are numbered from the page's first row's place in
  // the register (data-offset), and a page posts at most data-max-forms rows (the server's limit).
  function addRow(button) {
    const prefix = button.dataset.addRow;
    const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
    const template = document.getElementById(`${prefix}-empty`);
    const rows = document.getElementById(`${prefix}-rows`);
    if (!total || !template || !rows) return;
    const index = parseInt(total.value, 10) || 0;
    const offset = parseInt(rows.dataset.offset, 10) || 0;
    const maxForms = parseInt(rows.dataset.maxForms, 10) || Infinity;
    const full = document.getElementById(`${prefix}-page-full`);
    if (index >= maxForms) {
      if (full) full.hidden = false;
      button.disabled = true;
      return;
    }
    if (index + 1 >= maxForms) {
      if (full) full.hidden = false;
      button.disabled = true;
    }
    const fragment = document.createElement("div");
    fragment.innerHTML = template.innerHTML.replace(/__prefix__/g, String(offset + index));
    const empty = rows.querySelector(".register-empty");
    if (empty) empty.remove();
    const row = fragment.firstElementChild;
    // The new row's own name until the server answers with its id: a save that goes out before
    // that answer (the next autosave, the save as the page closes) edits it instead of adding it twice.
    const key = row.querySelector("input[name$='-draft_key']");
    if (key && window.crypto && window.crypto.getRandomValues) {
      const bytes = window.crypto.getRandomValues(new Uint8Array(8));
      key.value = "n" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    }
    rows.appendChild(row);
    if (window.htmx) window.htmx.process(row); // the party fields' suggestions
    total.value = String(index + 1);
    const first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  }

  // A suggested Sanctions List entry's "Attach" button: its reference goes into the row's reference
  // field, or at the end of the party's line ("Name; QDe.115") in a list of parties.
  function attachRef(button) {
    const field = document.getElementById(button.dataset.attachTarget || "");
    const ref = button.dataset.attachRef || "";
    if (!field || !/^QD[ie]\.\d{1,4}$/.test(ref)) return;
    if (button.dataset.attachMode === "line") {
      const lines = field.value.replace(/\s+$/, "").split("\n");
      const last = lines.length - 1;
      lines[last] = lines[last].replace(/[;,]?\s*QD[ie]\.\d{1,4}\s*$/i, "").replace(/[\s;]+$/, "") + "; " + ref;
      field.value = lines.join("\n");
    } else {
      field.value = ref;
    }
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new Event("change", { bubbles: true }));
    const box = button.closest(".sanctions-suggestions");
    if (box) box.replaceChildren();
    field.focus();
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-add-row]");
    if (button) { event.preventDefault(); addRow(button); return; }
    const attach = event.target.closest("[data-attach-ref]");
    if (attach) { event.preventDefault(); attachRef(attach); }
  });
  document.addEventListener("change", (event) => {
    const box = event.target;
    if (box instanceof HTMLInputElement && box.name.endsWith("-DELETE")) {
      const row = box.closest(".register-row");
      if (row) row.classList.toggle("register-row-removed", box.checked);
    }
  });
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form[data-autosave]").forEach(setupAutosave);
  });
})();
