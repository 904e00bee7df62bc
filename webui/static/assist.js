// Ticket-assist panel: send the ticket; show the clarifying question of a vague ticket, answers with their
// calibrated confidence (weak ones marked), the escalation path with why it was chosen (the consultant may pick
// another and open the escalation), the checklist; feedback buttons and flags with a reason.
(function () {
  "use strict";
  var esc = KB.esc, t = KB.t;
  var post = function (url, body) { return KB.json("POST", url, body); };
  var root = document.getElementById("assist");
  var HIGH = Number(root.getAttribute("data-high")), LOW = Number(root.getAttribute("data-low"));
  var PATHS = {};
  JSON.parse(root.getAttribute("data-paths") || "[]").forEach(function (p) { PATHS[p.id] = p; });
  var form = document.getElementById("assist-form");
  var statusEl = document.getElementById("a-status");
  var resultEl = document.getElementById("a-result");
  var choice = document.getElementById("a-esc-choice");
  var last = null;

  function level(c) { return c >= HIGH ? "high" : c >= LOW ? "medium" : "weak"; }

  function detectedText(d) {
    var parts = [t("intent: %(value)s", { value: t("label_" + d.intent) }), t("language: %(value)s", { value: d.lang })];
    if (d.products.length) parts.push(t("model %(codes)s", { codes: d.products.join(", ") }));
    else if (d.families.length) parts.push(t("family %(codes)s", { codes: d.families.join(", ") }));
    else parts.push(t("no model recognised"));
    return t("Detected:") + " " + parts.join(" · ");
  }

  // the path shown: the one the rules chose, or the one the consultant picked instead (always offered: the rules
  // may miss a case, and the consultant decides)
  function showPath(pathId) {
    var decided = last.escalation, p = PATHS[pathId] || decided;
    var box = document.getElementById("a-escalation");
    var title = document.getElementById("a-esc-title"), why = document.getElementById("a-esc-why");
    var details = document.getElementById("a-esc-details"), open = document.getElementById("a-esc-open");
    box.hidden = false;
    box.classList.toggle("quiet", !p);
    if (!p) {
      title.textContent = t("No escalation path");
      why.textContent = t("No rule sends this ticket anywhere. If a team must take it, pick the path:");
      details.textContent = "";
      choice.value = "";
      open.hidden = true;
      return;
    }
    var chosenByRules = decided && decided.id === p.id;
    title.textContent = chosenByRules ? t("Escalate: %(name)s", { name: p.name }) : t("Your choice: %(name)s", { name: p.name });
    why.innerHTML = decided ? "<strong>" + esc(t("Why this path:")) + "</strong> " + esc(decided.reason) +
      ' <span class="muted">(' + esc(t("rule")) + ": " + esc(decided.rule) + ")</span>" +
      (chosenByRules ? "" : "<br>" + esc(t("You chose %(name)s instead.", { name: p.name }))) : esc(t("No rule chose a path; you picked this one."));
    var identity = chosenByRules ? decided.identity_verification_first : p.identity_verification;
    details.innerHTML = "<strong>" + esc(p.team) + "</strong> · " + esc(t("answer within %(hours)s h", { hours: KB.num(p.sla_hours) })) +
      (identity ? " · <strong>" + esc(t("verify identity first")) + "</strong>" : "") +
      (p.follow_up_days ? " · " + esc(KB.tn("n_followup_days", p.follow_up_days)) : "");
    choice.value = p.id;
    var params = new URLSearchParams({ path: p.id, question: ticketText() });
    if (decided) { params.set("suggested", decided.id); params.set("why", decided.reason); params.set("rule", decided.rule); }
    if (last.contact_id) params.set("contact_id", last.contact_id);
    open.setAttribute("href", "/escalations/new?" + params.toString());
    open.hidden = false;
  }

  function ticketText() {
    return [form.elements.subject.value.trim(), form.elements.body.value.trim()].filter(Boolean).join("\n");
  }

  function answerItem(a, i) {
    var lvl = level(a.confidence);
    return '<li data-article="' + esc(a.article_id) + '" class="' + (lvl === "weak" ? "weak" : "") + '"><h3><a href="' + esc(a.link) +
      '" target="_top">' + esc(a.title) + "</a></h3>" +
      '<span class="confidence ' + lvl + '" data-level="' + lvl + '">' + esc(t("level_" + lvl)) + " · " +
      esc(t("confidence %(value)s", { value: KB.pct(a.confidence) })) + "</span>" +
      '<div class="answer-body">' + a.answer_html + "</div>" +  // sanitized on the server
      '<div class="feedback"><button type="button" data-act="used" data-i="' + i + '">' + esc(t("Used this")) + "</button>" +
      '<button type="button" data-act="copy" data-i="' + i + '">' + esc(t("Copy answer")) + "</button>" +
      '<button type="button" data-act="unhelpful" data-i="' + i + '">' + esc(t("Not helpful")) + "</button>" +
      '<button type="button" data-act="flag" data-i="' + i + '" aria-expanded="false">' + esc(t("Flag…")) + "</button></div>" +
      '<div class="flag-slot"></div></li>';
  }

  function render(data) {
    last = data;
    document.getElementById("a-detected").textContent = detectedText(data.detected);
    var clarify = document.getElementById("a-clarify");
    clarify.hidden = !data.clarify;
    document.getElementById("a-clarify-question").textContent = data.clarify || "";
    document.getElementById("a-answers-title").textContent = data.clarify ? t("Possible answers (unconfirmed)") : t("Suggested answers");
    showPath(data.escalation ? data.escalation.id : null);
    var box = document.getElementById("a-checklist-box");
    document.getElementById("a-checklist").innerHTML = data.checklist.map(function (s) { return "<li>" + esc(s) + "</li>"; }).join("");
    box.hidden = !data.checklist.length;
    var answers = document.getElementById("a-answers");
    answers.innerHTML = data.answers.map(answerItem).join("");
    answers.classList.toggle("guesses", !!data.clarify);
    resultEl.hidden = false;
    document.dispatchEvent(new CustomEvent("kb:assist-result", { detail: data }));  // for embed.js
    statusEl.textContent = KB.tn("n_answers", data.answers.length) + " · " + t("%(ms)s ms", { ms: KB.num(data.took_ms) }) +
      (data.stored ? "" : " " + t("(not stored)"));
    document.dispatchEvent(new CustomEvent("kb:assist", { detail: data }));
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var body = {};
    ["subject", "body", "product", "channel", "customer_type", "lang", "contact_id"].forEach(function (name) {
      var value = form.elements[name].value.trim();
      if (value) body[name] = value;
    });
    statusEl.textContent = t("Working…");
    post("/api/v1/assist", body).then(function (res) {
      if (!res.ok) { statusEl.textContent = res.data.message; resultEl.hidden = true; return; }
      render(res.data);
    }).catch(function () { statusEl.textContent = t("The assist service is not reachable."); });
  });

  form.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit(); }
  });

  choice.addEventListener("change", function () { if (last) showPath(choice.value); });

  function openFlagForm(item, answer, button) {
    var slot = item.querySelector(".flag-slot");
    if (slot.firstChild) { slot.innerHTML = ""; button.setAttribute("aria-expanded", "false"); return; }
    slot.appendChild(document.getElementById("flag-form-template").content.cloneNode(true));
    button.setAttribute("aria-expanded", "true");
    var flagForm = slot.querySelector("form");
    flagForm.elements.flag.focus();
    flagForm.addEventListener("submit", function (e) {
      e.preventDefault();
      var body = { article_id: answer.article_id, helpful: false, contact_id: last.contact_id || null,
                   flag: flagForm.elements.flag.value, comment: flagForm.elements.comment.value.trim() || null };
      post("/api/v1/feedback", body).then(function (r) {
        statusEl.textContent = r.ok ? t("Flagged: the owner gets a review task") : r.data.message;
        if (r.ok) { slot.innerHTML = ""; button.disabled = true; }
      });
    });
  }

  document.getElementById("a-answers").addEventListener("click", function (e) {
    var button = e.target.closest("[data-act]");
    if (!button || !last) return;
    var answer = last.answers[Number(button.getAttribute("data-i"))];
    var act = button.getAttribute("data-act");
    var contact = last.contact_id || null;
    var done = function (message) { statusEl.textContent = message; button.disabled = true; };
    if (act === "copy") {
      KB.copyText(answer.answer_text).then(function () { statusEl.textContent = t("Answer copied"); });
      KB.usage(answer.article_id, "copied", { contact_id: contact });
    } else if (act === "used") {
      KB.usage(answer.article_id, "used", { contact_id: contact })
        .then(function () { return post("/api/v1/feedback", { article_id: answer.article_id, helpful: true, contact_id: contact }); })
        .then(function (r) { done(r.ok ? t("Thanks: marked as used") : r.data.message); });
    } else if (act === "flag") {
      openFlagForm(button.closest("li"), answer, button);
    } else {
      post("/api/v1/feedback", { article_id: answer.article_id, helpful: false, contact_id: contact }).then(function (r) {
        done(r.ok ? t("Thanks for the feedback") : r.data.message);
      });
    }
  });
})();
