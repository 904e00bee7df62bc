// Example host page of the embed contract (docs/embed.md): frames the assist panel, gives it a short-lived panel
// token that this page's own server made (POST /kb-embed-token), sends the ticket, and puts the chosen answer into
// the reply. No secret is in any URL; the integration's API token never leaves the server.
(function () {
  "use strict";
  var kbUrl = document.querySelector('meta[name="kb-url"]').getAttribute("content").replace(/\/$/, "");
  var kbOrigin = new URL(kbUrl).origin;
  var status = document.getElementById("kb-status");
  var ask = document.getElementById("ask");
  var frame = document.createElement("iframe");
  frame.title = "Knowledge base assist";
  frame.src = kbUrl + "/assist?compact=1";
  document.getElementById("kb-side").appendChild(frame);

  function toPanel(message) { frame.contentWindow.postMessage(message, kbOrigin); }

  var authorizing = null;
  function authorize() {
    // our own server asks the knowledge base for a panel token with the API token it keeps (once at a time)
    if (authorizing) return authorizing;
    authorizing = fetch("/kb-embed-token", { method: "POST" })
      .then(function (r) { if (!r.ok) throw new Error("token " + r.status); return r.json(); })
      .then(function (made) { toPanel({ type: "kb:auth", token: made.token }); })
      .catch(function (err) { status.textContent = "Could not connect: " + err.message; })
      .then(function () { authorizing = null; });
    return authorizing;
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== kbOrigin || event.source !== frame.contentWindow) return;  // only the panel is heard
    var m = event.data || {};
    if (m.type === "kb:ready") { if (!m.signedIn) authorize(); else { ask.disabled = false; status.textContent = "Connected"; } }
    else if (m.type === "kb:auth-ok") { ask.disabled = false; status.textContent = "Connected"; }
    else if (m.type === "kb:suggestions") { status.textContent = m.count + " suggestions" + (m.escalation ? ", escalation: " + m.escalation : ""); }
    else if (m.type === "kb:answer") {
      var draft = m.reply_draft && m.reply_draft.text ? m.reply_draft.text : m.answer_text;
      document.getElementById("reply").value = draft + "\n\n" + m.link;
      document.getElementById("reply-source").textContent = "From: " + m.title +
        (m.escalation ? " · escalate to " + m.escalation.team + " within " + m.escalation.sla_hours + " h" : "");
      status.textContent = "Answer inserted";
    } else if (m.type === "kb:error") {
      status.textContent = "Knowledge base: " + m.message;
      if (m.code === "auth_required") authorize();
    }
  });
  frame.addEventListener("load", function () { toPanel({ type: "kb:hello" }); });

  ask.addEventListener("click", function () {
    toPanel({ type: "kb:ticket", ticket: {
      subject: document.getElementById("t-subject").value, body: document.getElementById("t-body").value,
      product: document.getElementById("t-product").value, channel: document.getElementById("t-channel").value,
      customer_type: "consumer", lang: "en", contact_id: document.getElementById("t-contact").value } });
  });
})();
