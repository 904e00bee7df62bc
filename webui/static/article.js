// Article view: open at the matched section, answer on top, copy answer or link, flag with a reason, Esc goes back.
(function () {
  "use strict";
  var toast = KB.toast, copyText = KB.copyText, t = KB.t;
  var article = document.getElementById("article");
  if (!article) return;
  var id = article.getAttribute("data-id"), q = article.getAttribute("data-q");

  function copyAnswer() {
    var text = document.getElementById("answer-text");
    if (!text) return;
    copyText(text.value).then(function () { toast(t("Answer copied")); });
    KB.usage(id, "copied", { query: q || null });
  }

  function copyLink() {
    var link = location.origin + "/articles/" + encodeURIComponent(id);
    copyText(link).then(function () { toast(t("Link copied")); });
  }

  var copyButton = document.getElementById("copy-answer");
  if (copyButton) copyButton.addEventListener("click", copyAnswer);
  var linkButton = document.getElementById("copy-link");
  if (linkButton) linkButton.addEventListener("click", copyLink);

  var flagOpen = document.getElementById("flag-open"), flagForm = document.getElementById("flag-form");
  if (flagOpen && flagForm) {
    flagOpen.addEventListener("click", function () {
      flagForm.hidden = !flagForm.hidden;
      flagOpen.setAttribute("aria-expanded", String(!flagForm.hidden));
      if (!flagForm.hidden) flagForm.elements.flag.focus();
    });
    flagForm.addEventListener("submit", function (e) {
      e.preventDefault();
      KB.json("POST", "/api/v1/feedback", { article_id: id, helpful: false, query: q || null, flag: flagForm.elements.flag.value,
                                            comment: flagForm.elements.comment.value.trim() || null })
        .then(function (r) {
          toast(r.ok ? t("Flagged: the owner gets a review task") : r.data.message);
          if (r.ok) { flagForm.hidden = true; flagOpen.disabled = true; }
        });
    });
  }

  document.addEventListener("keydown", function (e) {
    if (e.altKey && e.code === "KeyC") { e.preventDefault(); copyAnswer(); }
    else if (e.altKey && e.code === "KeyL") { e.preventDefault(); copyLink(); }
    else if (e.altKey && e.code === "KeyG" && document.getElementById("guide-me")) { e.preventDefault(); location.href = document.getElementById("guide-me").href; }
    else if (e.key === "Escape" && !(document.activeElement && /INPUT|SELECT|TEXTAREA/.test(document.activeElement.tagName))) {
      e.preventDefault();
      if (document.referrer && new URL(document.referrer).origin === location.origin && history.length > 1) history.back();
      else location.href = document.getElementById("back-link").getAttribute("href");
    }
  });

  var section = article.getAttribute("data-section");
  var target = section && document.getElementById(section);
  if (target) { target.scrollIntoView({ block: "start" }); }
  var first = document.getElementById("copy-answer");
  if (first) first.focus({ preventScroll: !!target });
})();
