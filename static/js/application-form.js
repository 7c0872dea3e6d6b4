/* The application form, enhanced: the call's rules and the budget's sums checked as
   the applicant types. The page works without this script: the same messages come
   back on "Save" and "Submit". Served by the product (no CDN); CSP script-src 'self'. */
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
  var form = document.getElementById("application-form");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var panel = document.getElementById("live-check");
  var timer = null;
  var pending = null;

  function show(data) {
    var totals = data.totals || {};
    Object.keys(totals).forEach(function (key) {
      var cell = form.querySelector('[data-total="' + key + '"]');
      if (cell) {
        cell.textContent = totals[key];
      }
    });
    if (!panel) {
      return;
    }
    var list = panel.querySelector("ul");
    list.textContent = "";
    data.errors.forEach(function (item) {
      var entry = document.createElement("li");
      var link = document.createElement("a");
      link.href = item.href;
      link.textContent = item.text;
      entry.appendChild(link);
      list.appendChild(entry);
    });
    panel.querySelector("[data-state]").textContent = data.errors.length
      ? panel.getAttribute("data-problems").replace("%s", String(data.errors.length))
      : panel.getAttribute("data-ok");
    panel.hidden = false;
  }

  function check() {
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    fetch(form.getAttribute("data-check-url"), {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      signal: pending.signal,
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data) {
          show(data);
        }
      })
      .catch(function () {
        /* Offline or aborted: the page's own buttons still check everything. */
      });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 500);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
  form.setAttribute("data-live", "on");
})();
