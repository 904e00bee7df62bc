// Ticket-assist panel: send the ticket, show answers, escalation and checklist; feedback buttons.
(function () {
  "use strict";
  var esc = KB.esc;
  var post = function (url, body) { return KB.json("POST", url, body); };
  var form = document.getElementById("assist-form");
  var statusEl = document.getElementById("a-status");
  var resultEl = document.getElementById("a-result");
  var last = null;

  function render(data) {
    last = data;
    var d = data.detected;
    document.getElementById("a-detected").textContent = "Detected: " + [d.intent, d.category, d.lang]
      .concat(d.products.length ? ["model " + d.products.join(", ")] : d.families.length ? ["family " + d.families.join(", ")] : [])
      .join(" · ");
    var esc_el = document.getElementById("a-escalation");
    if (data.escalation) {
      var e = data.escalation;
      esc_el.innerHTML = "<h2>Escalate: " + esc(e.name) + "</h2><p>" + esc(e.reason) + "</p><p><strong>" + esc(e.team) +
        "</strong> · SLA " + esc(e.sla_hours) + " h" + (e.identity_verification_first ? " · <strong>verify identity first</strong>" : "") +
        (e.follow_up_days ? " · follow-up call after " + esc(e.follow_up_days) + " day(s)" : "") + "</p>";
      esc_el.hidden = false;
    } else { esc_el.hidden = true; }
    var box = document.getElementById("a-checklist-box");
    document.getElementById("a-checklist").innerHTML = data.checklist.map(function (s) { return "<li>" + esc(s) + "</li>"; }).join("");
    box.hidden = !data.checklist.length;
    document.getElementById("a-answers").innerHTML = data.answers.map(function (a, i) {
      var high = a.confidence >= 0.8;
      return '<li data-article="' + esc(a.article_id) + '"><h3><a href="' + esc(a.link) + '" target="_top">' + esc(a.title) + "</a></h3>" +
        '<span class="confidence' + (high ? " high" : "") + '">confidence ' + Math.round(a.confidence * 100) + "%</span>" +
        '<div class="answer-body">' + a.answer_html + "</div>" +  // sanitized on the server
        '<div class="feedback"><button type="button" data-act="used" data-i="' + i + '">Used this</button>' +
        '<button type="button" data-act="copy" data-i="' + i + '">Copy answer</button>' +
        '<button type="button" data-act="unhelpful" data-i="' + i + '">Not helpful</button>' +
        '<button type="button" data-act="wrong" data-i="' + i + '">Flag as wrong</button></div></li>';
    }).join("");
    resultEl.hidden = false;
    statusEl.textContent = data.answers.length + " answers in " + Math.round(data.took_ms) + " ms" + (data.stored ? "" : " (not stored)");
    document.dispatchEvent(new CustomEvent("kb:assist", { detail: data }));
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var body = {};
    ["subject", "body", "product", "channel", "customer_type", "contact_id"].forEach(function (name) {
      var value = form.elements[name].value.trim();
      if (value) body[name] = value;
    });
    statusEl.textContent = "Working…";
    post("/api/v1/assist", body).then(function (res) {
      if (!res.ok) { statusEl.textContent = res.data.message; resultEl.hidden = true; return; }
      render(res.data);
    }).catch(function () { statusEl.textContent = "The assist service is not reachable."; });
  });

  form.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit(); }
  });

  document.getElementById("a-answers").addEventListener("click", function (e) {
    var button = e.target.closest("[data-act]");
    if (!button || !last) return;
    var answer = last.answers[Number(button.getAttribute("data-i"))];
    var act = button.getAttribute("data-act");
    var contact = last.contact_id || null;
    var done = function (message) { statusEl.textContent = message; button.disabled = true; };
    if (act === "copy") {
      KB.copyText(answer.answer_text).then(function () { statusEl.textContent = "Answer copied"; });
      KB.usage(answer.article_id, "copied", { contact_id: contact });
    } else if (act === "used") {
      KB.usage(answer.article_id, "used", { contact_id: contact })
        .then(function () { return post("/api/v1/feedback", { article_id: answer.article_id, helpful: true, contact_id: contact }); })
        .then(function (r) { done(r.ok ? "Thanks: marked as used" : r.data.message); });
    } else {
      var body = { article_id: answer.article_id, helpful: false, contact_id: contact };
      if (act === "wrong") body.flag = "wrong";
      post("/api/v1/feedback", body).then(function (r) {
        done(r.ok ? (act === "wrong" ? "Flagged: the owner gets a review task" : "Thanks for the feedback") : r.data.message);
      });
    }
  });
})();
