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

    const save = () => {
      if (!dirty || inFlight || stopped || !window.htmx) return;
      dirty = false;
      window.htmx.trigger(form, "autosave");
    };
    form.addEventListener("input", () => { dirty = true; });
    form.addEventListener("change", () => { dirty = true; });
    form.addEventListener("focusout", save);
    window.setInterval(save, AUTOSAVE_MS);
    // An explicit Save takes over: no autosave may race it.
    form.addEventListener("submit", () => { stopped = true; });

    document.body.addEventListener("htmx:beforeRequest", (event) => { if (event.detail.elt === form) inFlight = true; });
    document.body.addEventListener("htmx:afterRequest", (event) => {
      if (event.detail.elt !== form) return;
      inFlight = false;
      if (!event.detail.successful && event.detail.xhr && event.detail.xhr.status !== 409) {
        dirty = true; // try again at the next tick
        if (status) status.textContent = status.dataset.failed || "Not saved yet: the connection failed. Retrying…";
      }
    });
    document.body.addEventListener("htmx:sendError", (event) => {
      if (event.detail.elt === form) { inFlight = false; dirty = true; }
    });
    document.body.addEventListener("htmx:beforeSwap", (event) => {
      if (event.detail.elt === form && event.detail.xhr.status === 409) {
        event.detail.shouldSwap = true; // show the conflict notice
        event.detail.isError = false;
        stopped = true;
      }
    });
    window.addEventListener("beforeunload", (event) => {
      if (dirty && !stopped) { event.preventDefault(); }
    });
  }

  function addRow(button) {
    const prefix = button.dataset.addRow;
    const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
    const template = document.getElementById(`${prefix}-empty`);
    const rows = document.getElementById(`${prefix}-rows`);
    if (!total || !template || !rows) return;
    const index = parseInt(total.value, 10) || 0;
    const fragment = document.createElement("div");
    fragment.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    const empty = rows.querySelector(".register-empty");
    if (empty) empty.remove();
    const row = fragment.firstElementChild;
    rows.appendChild(row);
    total.value = String(index + 1);
    const first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-add-row]");
    if (button) { event.preventDefault(); addRow(button); }
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
