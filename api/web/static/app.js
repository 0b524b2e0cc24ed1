/* Hub Scheduler pages: small enhancements only; every page works without this file. */
(function () {
  "use strict";

  /* Confirmation dialogs: a link opens its <dialog> instead of the confirmation page. */
  function setUpDialogs() {
    document.querySelectorAll("[data-open-dialog]").forEach(function (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-open-dialog"));
      if (!dialog || typeof dialog.showModal !== "function") return;
      opener.addEventListener("click", function (event) {
        event.preventDefault();
        dialog.showModal();
        var field = dialog.querySelector("textarea, input:not([type=hidden])");
        if (field) field.focus();
      });
      dialog.querySelectorAll("[data-close-dialog]").forEach(function (button) {
        button.addEventListener("click", function () { dialog.close(); opener.focus(); });
      });
    });
  }

  /* Forms that undo something ask first (without script they post at once). */
  function setUpConfirmations() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
  }

  /* Forms submit once: a second click while the first post is on its way does nothing. */
  function setUpSingleSubmit() {
    document.querySelectorAll("form[method=post]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (event.defaultPrevented) return;  /* a confirmation said no */
        if (form.dataset.sent === "1") { event.preventDefault(); return; }
        form.dataset.sent = "1";
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.setAttribute("aria-disabled", "true"); });
      });
    });
  }

  /* Timeline tooltips: hover or focus a bar to see its load, enterprise, times and why. */
  function setUpTooltips() {
    var tip = document.getElementById("bar-tooltip");
    var gantt = document.getElementById("gantt");
    if (!tip || !gantt) return;
    var labels = JSON.parse(tip.getAttribute("data-labels") || "{}");

    function row(term, value) {
      var dt = document.createElement("dt");
      var dd = document.createElement("dd");
      dt.textContent = term;
      dd.textContent = value;
      return [dt, dd];
    }

    /* The bar's facts are its row in the operations table (one copy in the page, not two). */
    function facts(bar) {
      var id = bar.getAttribute("data-load-id");
      // the bar links its row (#op-E01·L-1: ids are per enterprise, the anchor names both)
      var row = (bar.getAttribute("href") || "").replace(/^#/, "") || "op-" + id;
      var cells = (document.getElementById(row) || { cells: [] }).cells;
      function cell(i) { return cells[i] ? cells[i].textContent.trim() : ""; }
      return {
        loadId: id, enterprise: cell(1), category: cell(2), arrival: cell(3), times: cell(4),
        clean: cell(5), due: cell(6), why: cell(7)
      };
    }

    function show(bar) {
      var d = facts(bar);
      tip.replaceChildren();
      var title = document.createElement("strong");
      title.textContent = d.loadId + " · " + d.category;
      var list = document.createElement("dl");
      [
        row(labels.enterprise, d.enterprise),
        row(labels.slot, d.times),
        row(labels.clean, d.clean),
        row(labels.arrival, d.arrival),
        row(labels.due, d.due)
      ].forEach(function (pair) { list.append(pair[0], pair[1]); });
      var why = document.createElement("div");
      why.className = "why";
      why.textContent = d.why || "";
      tip.append(title, list, why);
      tip.hidden = false;
      var box = bar.getBoundingClientRect();
      var width = tip.offsetWidth;
      var height = tip.offsetHeight;
      var left = Math.min(Math.max(8, box.left), window.innerWidth - width - 8);
      var top = box.bottom + 8;
      if (top + height > window.innerHeight - 8) top = Math.max(8, box.top - height - 8);
      tip.style.left = left + "px";
      tip.style.top = top + "px";
    }

    function hide() { tip.hidden = true; }

    gantt.addEventListener("mouseover", function (e) {
      var bar = e.target.closest(".bar");
      if (bar) show(bar);
    });
    gantt.addEventListener("mouseout", function (e) {
      var bar = e.target.closest(".bar");
      if (bar && !bar.contains(e.relatedTarget)) hide();
    });
    gantt.addEventListener("focusin", function (e) {
      var bar = e.target.closest(".bar");
      if (bar) show(bar);
    });
    gantt.addEventListener("focusout", hide);
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
    window.addEventListener("scroll", hide, { passive: true });

    /* A click opens the operations table at the bar's row and marks it. */
    gantt.addEventListener("click", function (e) {
      var bar = e.target.closest(".bar");
      if (!bar) return;
      var details = document.getElementById("operations");
      if (details) details.open = true;
      document.querySelectorAll(".bar.is-highlighted").forEach(function (b) { b.classList.remove("is-highlighted"); });
      bar.classList.add("is-highlighted");
    });
  }

  /* A page waiting for plan jobs (what moved, compare) reloads itself until they are done. */
  function setUpReload() {
    var waiting = document.querySelector("[data-reload-after]");
    if (!waiting) return;
    var seconds = parseFloat(waiting.getAttribute("data-reload-after")) || 3;
    window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
  }

  /* Plan progress: poll the job while it runs, then show the finished plan. */
  function setUpProgress() {
    var box = document.getElementById("plan-progress");
    if (!box) return;
    var url = box.getAttribute("data-progress-url");
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-progress-text]");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("status " + response.status);
          return response.json();
        })
        .then(function (job) {
          if (job.percent !== null && job.percent !== undefined) bar.value = job.percent;
          if (text) text.textContent = job.text;
          if (job.done) { window.location.assign(box.getAttribute("data-done-url") || job.url); return; }
          window.setTimeout(poll, 700);
        })
        .catch(function () { window.setTimeout(poll, 2000); });
    }
    window.setTimeout(poll, 400);
  }

  /* Back to a page from the history: its forms may be sent again. */
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sent]").forEach(function (form) {
      delete form.dataset.sent;
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.removeAttribute("aria-disabled"); });
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    setUpDialogs();
    setUpConfirmations();
    setUpSingleSubmit();
    setUpTooltips();
    setUpProgress();
    setUpReload();
  });
})();
