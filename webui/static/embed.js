// The embed contract of the assist panel (docs/embed.md): a ticket system that frames /assist?compact=1 (or opens
// it as a popup) sends the ticket and a short-lived panel token by postMessage; the panel sends back the answer the
// consultant chose. Only windows whose origin is in KB_FRAME_ANCESTORS are heard or answered; the token lives in
// this page's memory only (never in a URL, a cookie or storage).
(function () {
  "use strict";
  var VERSION = 1;
  var conf = document.getElementById("kb-embed");
  var form = document.getElementById("assist-form");
  var host = window.parent !== window ? window.parent : window.opener;
  if (!conf || !form || !host) return;  // not embedded: the panel works on its own
  var allowed = JSON.parse(conf.getAttribute("data-origins") || "[]");
  var signedIn = conf.getAttribute("data-signed-in") === "1";
  var statusEl = document.getElementById("a-status");
  var submit = document.getElementById("a-submit");
  var token = null, hostOrigin = null, last = null;
  var LIMITS = { subject: 500, body: 20000, product: 100, channel: 20, customer_type: 40, lang: 5, contact_id: 120 };
  var FIELDS = { subject: "a-subject", body: "a-body", product: "a-product", channel: "a-channel",
                 customer_type: "a-customer", lang: "a-lang", contact_id: "a-contact" };

  function matches(origin, pattern) {
    var o = /^([a-z][a-z0-9+.-]*):\/\/([^:\/]+)(?::(\d+))?$/.exec(String(origin).toLowerCase());
    var p = /^([a-z][a-z0-9+.-]*):\/\/([^:\/]+)(?::(\d+|\*))?$/.exec(pattern);
    if (!o || !p || o[1] !== p[1] || (p[3] !== "*" && (p[3] || "") !== (o[3] || ""))) return false;
    return p[2] === o[2] || (p[2].indexOf("*.") === 0 && o[2].slice(-(p[2].length - 1)) === p[2].slice(1));
  }
  function isAllowed(origin) {
    return allowed.some(function (pattern) { return matches(origin, pattern); });
  }
  function send(message) {
    if (hostOrigin) host.postMessage(Object.assign({ version: VERSION }, message), hostOrigin);
  }
  function ready(enabled) {
    submit.disabled = !enabled;
    if (!enabled) statusEl.textContent = "Waiting for the ticket system to connect…";
  }

  // Every API call of the panel carries the panel token when there is one (a header: no CSRF token needed).
  var json = KB.json;
  KB.json = function (method, url, body, headers) {
    var auth = token ? { Authorization: "Bearer " + token } : {};
    return json(method, url, body, Object.assign(auth, headers || {})).then(function (res) {
      if (res.status === 401) send({ type: "kb:error", code: "auth_required", message: res.data.message });
      return res;
    });
  };
  KB.usage = function (articleId, action, extra) {
    return KB.json("POST", "/api/v1/usage", Object.assign({ article_id: articleId, action: action }, extra || {}));
  };

  function fill(ticket) {
    for (var name in FIELDS) {
      var value = ticket[name];
      if (value === undefined || value === null) continue;
      if (typeof value !== "string" && typeof value !== "number") throw new Error(name + " must be text");
      value = String(value).slice(0, LIMITS[name]);
      var el = document.getElementById(FIELDS[name]);
      if (el.tagName === "SELECT" && !Array.prototype.some.call(el.options, function (o) { return o.value === value; })) {
        throw new Error(name + " must be one of " + Array.prototype.map.call(el.options, function (o) { return o.value; }).join(", "));
      }
      el.value = value;
    }
  }

  window.addEventListener("message", function (event) {
    // Heard only from the window that framed or opened the panel, and only when its origin is allowed.
    if (event.source !== host || !isAllowed(event.origin)) return;
    var data = event.data;
    if (!data || typeof data !== "object" || typeof data.type !== "string") return;
    hostOrigin = event.origin;
    if (data.type === "kb:auth") {
      if (typeof data.token !== "string" || data.token.indexOf("kbe_") !== 0) {
        send({ type: "kb:error", code: "bad_token", message: "send a panel token (kbe_...) from POST /api/v1/embed/tokens" });
        return;
      }
      token = data.token;
      ready(true);
      statusEl.textContent = "Connected";
      send({ type: "kb:auth-ok" });
    } else if (data.type === "kb:ticket") {
      try { fill(data.ticket || {}); } catch (err) { send({ type: "kb:error", code: "bad_ticket", message: err.message }); return; }
      if (data.autorun !== false && !submit.disabled) form.requestSubmit();
    } else if (data.type === "kb:hello") {
      send({ type: "kb:ready", signedIn: signedIn || !!token });
    }
  });

  document.addEventListener("kb:assist-result", function (event) {
    last = event.detail;
    var items = document.querySelectorAll("#a-answers > li");
    Array.prototype.forEach.call(items, function (li, i) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "primary";
      button.setAttribute("data-embed", "send");
      button.setAttribute("data-i", String(i));
      button.textContent = "Send to ticket";
      li.querySelector(".feedback").insertBefore(button, li.querySelector(".feedback").firstChild);
    });
    send({ type: "kb:suggestions", contact_id: last.contact_id || null, count: last.answers.length,
           escalation: last.escalation ? last.escalation.id : null });
  });

  document.getElementById("a-answers").addEventListener("click", function (event) {
    var button = event.target.closest("[data-embed=send]");
    if (!button || !last) return;
    var answer = last.answers[Number(button.getAttribute("data-i"))];
    var draft = window.KBDraft && typeof window.KBDraft.current === "function" ? window.KBDraft.current() : null;
    var e = last.escalation;
    send({ type: "kb:answer", contact_id: last.contact_id || null, article_id: answer.article_id, title: answer.title,
           answer_text: answer.answer_text, reply_draft: draft || null, confidence: answer.confidence,
           link: new URL(answer.link, window.location.origin).href,
           escalation: e ? { id: e.id, name: e.name, team: e.team, sla_hours: e.sla_hours, reason: e.reason } : null });
    KB.usage(answer.article_id, "used", { contact_id: last.contact_id || null });
    statusEl.textContent = "Sent to the ticket";
    button.disabled = true;
  });

  ready(signedIn);
  // Say hello to the framing page when its origin is known and allowed (a page that did not frame us learns nothing).
  var ancestor = window.location.ancestorOrigins && window.location.ancestorOrigins.length ? window.location.ancestorOrigins[0] : null;
  var referrer = null;
  try { referrer = document.referrer ? new URL(document.referrer).origin : null; } catch (err) { referrer = null; }
  var guess = window.parent !== window ? (ancestor || referrer) : referrer;
  if (guess && isAllowed(guess)) { hostOrigin = guess; send({ type: "kb:ready", signedIn: signedIn }); }
})();
