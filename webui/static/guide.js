// Guided troubleshooting, keyboard only: Enter next, Y fixed, N not fixed, 1-9 a branch, Backspace back, Esc leave.
// The run is stored at the start and at every move, so a call that simply stops still shows where it left the path.
(function () {
  "use strict";
  var root = document.getElementById("guide");
  if (!root) return;
  var articleId = root.getAttribute("data-article");
  var statusEl = document.getElementById("g-status");
  var field = function (id) { return document.getElementById(id); };
  var state = { step: 1, path: [], run: null, screen: "step", saving: Promise.resolve() };
  var t = KB.t;
  var WORDS = { next: t("step done"), fixed: t("fixed it"), not_fixed: t("did not fix it") };

  function stepEl(n) { return document.getElementById("step-" + n); }

  function target(answer) {
    var el = stepEl(state.step);
    if (answer.indexOf("choice:") === 0) {
      var choice = el.querySelector('[data-choice="' + answer.split(":")[1] + '"]');
      return choice ? choice.getAttribute("data-goto") : null;
    }
    return el.getAttribute("data-not-fixed");
  }

  function said(number, answer) {
    if (answer.indexOf("choice:") !== 0) return WORDS[answer];
    var choice = stepEl(number).querySelector('[data-choice="' + answer.split(":")[1] + '"]');
    return choice.getAttribute("data-condition") + (choice.getAttribute("data-goto") === "escalate" ? " " + t("(escalate)") : "");
  }

  function triedText() {
    return state.path.map(function (p) {
      return p[0] + ". " + stepEl(p[0]).getAttribute("data-first") + " — " + said(p[0], p[1]);
    }).join("\n");
  }

  function render() {
    Array.prototype.forEach.call(root.querySelectorAll(".guide-step, .guide-end"), function (el) { el.hidden = true; });
    var shown = state.screen === "step" ? stepEl(state.step) : field("g-" + state.screen);
    shown.hidden = false;
    shown.focus({ preventScroll: false });
    field("g-path").innerHTML = state.path.map(function (p) {
      return "<li>" + KB.esc(p[0] + ". " + stepEl(p[0]).getAttribute("data-first")) + " <em>— " + KB.esc(said(p[0], p[1])) + "</em></li>";
    }).join("");
  }

  // one request at a time, in order (the run's id arrives with the first answer); the last one sent is stored
  function api(url, body) {
    state.saving = state.saving.then(function () {
      var where = typeof url === "function" ? url() : url;
      return where ? KB.json("POST", where, body) : null;
    }).then(function (res) {
      if (res && !res.ok) statusEl.textContent = res.data.message;
      return res;
    }, function () { statusEl.textContent = t("Not recorded: the server is not reachable."); return null; });
    return state.saving;
  }

  function runUrl(suffix) {
    return function () { return state.run ? "/api/v1/guide-runs/" + state.run + (suffix || "") : null; };
  }

  function save() {
    api(runUrl(), { path: state.path.slice(), step: state.step });
  }

  function finish(outcome, extra) {
    return api(runUrl("/finish"), Object.assign({ outcome: outcome, path: state.path.slice(), step: state.step }, extra || {}));
  }

  function answer(kind) {
    var goto = target(kind);
    if (goto === null) return;
    state.path.push([state.step, kind]);
    if (goto === "escalate") { showEscalation(); save(); return; }
    state.step = Number(goto);
    render();
    save();
  }

  function showEscalation() {
    state.screen = "escalate";
    var caller = [field("g-product").value.trim(), field("g-code").value.trim()].filter(Boolean).join(" ");
    field("g-question").value = document.querySelector("h1").textContent + (caller ? " — " + caller : "");
    field("g-tried").value = triedText();
    render();
    field("g-send").focus();
  }

  function resolved() {
    state.path.push([state.step, "fixed"]);
    state.screen = "resolved";
    field("g-fixed-step").textContent = state.step;
    render();
    finish("resolved").then(function (res) {
      if (res && res.ok) statusEl.textContent = t("Recorded: fixed at step %(step)s", { step: state.step });
    });
  }

  function back() {
    if (!state.path.length) return;
    var last = state.path.pop();
    state.step = last[0];
    state.screen = "step";
    render();
    save();
  }

  function leave() {
    var href = field("g-back").getAttribute("href");
    if (state.screen !== "step") { location.href = href; return; }
    state.screen = "left";
    field("g-left-step").textContent = state.step;
    render();
    finish("left").then(function () { location.href = href; });
  }

  function sendEscalation() {
    var button = field("g-send");
    if (button.disabled) return;
    button.disabled = true;
    finish("escalated", { question: field("g-question").value, steps_tried: field("g-tried").value }).then(function (res) {
      var sent = field("g-sent");
      if (res && res.ok && res.data.escalation) {
        var e = res.data.escalation;
        sent.textContent = t("Escalation %(id)s opened for %(team)s, due %(due)s. Enter: back to the article.",
                             { id: e.id, team: e.team, due: e.due_at.replace("T", " ").slice(0, 16) });
        state.screen = "sent";
      } else {
        sent.textContent = res ? res.data.message : t("Not sent: the server is not reachable.");
        button.disabled = false;
      }
      sent.hidden = false;
    });
  }

  document.addEventListener("keydown", function (e) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName);
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && state.screen === "escalate") { e.preventDefault(); sendEscalation(); return; }
    if (typing) {
      if (e.key === "Escape" || (e.key === "Enter" && e.target.tagName === "INPUT")) { e.preventDefault(); e.target.blur(); render(); }
      return;
    }
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    var key = e.key.toLowerCase();
    if (key === "escape") { e.preventDefault(); leave(); return; }
    if (state.screen === "resolved" || state.screen === "sent") {
      if (key === "enter") { e.preventDefault(); location.href = field("g-back").getAttribute("href"); }
      return;
    }
    if (state.screen === "escalate") {
      if (key === "backspace") { e.preventDefault(); back(); }
      else if (key === "enter" && e.target === field("g-send")) { e.preventDefault(); sendEscalation(); }
      return;
    }
    if (key === "enter") { e.preventDefault(); answer("next"); }
    else if (key === "y") { e.preventDefault(); resolved(); }
    else if (key === "n") { e.preventDefault(); answer("not_fixed"); }
    else if (key === "backspace") { e.preventDefault(); back(); }
    else if (/^[1-9]$/.test(key) && stepEl(state.step).querySelector('[data-choice="' + key + '"]')) {
      e.preventDefault();
      answer("choice:" + key);
    }
  });
  field("g-send").addEventListener("click", sendEscalation);

  render();
  var body = { product: field("g-product").value.trim() || null, error_code: field("g-code").value.trim() || null,
               contact_id: field("g-contact").value.trim() || null };
  state.saving = KB.json("POST", "/api/v1/guides/" + encodeURIComponent(articleId) + "/runs", body).then(function (res) {
    if (res.ok) state.run = res.data.id; else statusEl.textContent = res.data.message;
  }, function () { statusEl.textContent = t("Not recorded: the server is not reachable."); });
})();
