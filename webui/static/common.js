// Helpers shared by the pages: escaping, the toast, the clipboard, JSON requests.
window.KB = (function () {
  "use strict";
  function esc(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function toast(message) {
    var el = document.getElementById("toast");
    if (!el) return;
    el.textContent = message;
    el.classList.add("show");
    setTimeout(function () { el.classList.remove("show"); }, 1600);
  }
  function copyText(text) {
    window.__kbCopied = text;
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
    return Promise.resolve();
  }
  function json(method, url, body, headers) {
    var h = Object.assign({ "Content-Type": "application/json" }, headers || {});
    return fetch(url, { method: method, headers: h, body: body ? JSON.stringify(body) : undefined })
      .then(function (r) { return r.json().then(function (data) { return { status: r.status, ok: r.ok, data: data }; }); });
  }
  return { esc: esc, toast: toast, copyText: copyText, json: json };
})();
