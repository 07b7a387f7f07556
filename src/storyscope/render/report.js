/* storyscope report: click a citation, fact, matrix cell, quote or sentence to
   highlight the evidence sentences it rests on and scroll each article column
   to them. No network, no libraries. Every clickable carries data-targets: a
   space-separated list of sentence element ids. */
(function () {
  "use strict";
  var lit = [];
  var active = null;

  function clear() {
    lit.forEach(function (el) { el.classList.remove("highlight"); });
    lit = [];
    if (active) { active.classList.remove("active"); active = null; }
  }

  function reveal(els, scrollPage) {
    var board = document.getElementById("columns");
    if (!board || !els.length) { return; }
    if (scrollPage) {
      var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      board.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" });
    }
    // In every column that holds evidence, bring its first evidence sentence into view.
    var done = [];
    els.forEach(function (el) {
      var body = el.closest(".col-body");
      if (!body || done.indexOf(body) !== -1) { return; }
      done.push(body);
      body.scrollTop = Math.max(0, el.offsetTop - body.clientHeight / 3);
    });
    // Scroll the row of columns so the first evidence column is visible.
    var col = els[0].closest(".col");
    if (col) {
      var left = col.offsetLeft, right = left + col.offsetWidth;
      if (left < board.scrollLeft || right > board.scrollLeft + board.clientWidth) {
        board.scrollLeft = Math.max(0, left - 16);
      }
    }
  }

  function show(trigger) {
    var ids = (trigger.getAttribute("data-targets") || "").split(/\s+/).filter(Boolean);
    clear();
    var els = [];
    ids.forEach(function (id) {
      var el = document.getElementById(id);
      if (el && els.indexOf(el) === -1) { els.push(el); }
    });
    els.forEach(function (el) { el.classList.add("highlight"); lit.push(el); });
    trigger.classList.add("active");
    active = trigger;
    var row = trigger.closest("tr");
    if (row && !trigger.classList.contains("sent")) { row.classList.add("highlight"); lit.push(row); }
    reveal(els, !trigger.closest("#columns"));
  }

  document.addEventListener("click", function (event) {
    var trigger = event.target.closest("[data-targets]");
    if (!trigger) { return; }
    event.preventDefault();
    show(trigger);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { clear(); return; }
    var t = event.target;
    // Sentences and plot marks are focusable but not buttons: Enter/Space act like a click.
    if ((event.key === "Enter" || event.key === " ") && t && t.classList &&
        (t.classList.contains("sent") || (t.closest && t.closest("svg") && t.hasAttribute("data-targets")))) {
      event.preventDefault();
      show(t);
    }
  });
})();
