// Council documents: show only the fields the chosen document needs (the form works without this).
(function () {
  function sync(form) {
    const kind = form.querySelector("[name=kind]");
    if (!kind) return;
    const state = form.querySelector("#div_id_state");
    if (state) state.hidden = kind.value !== "profile";
  }
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-pdf-request-form]").forEach((form) => {
      sync(form);
      form.addEventListener("change", () => sync(form));
    });
  });
})();
