// The escalation form: picking another path adds that path's checklist to the question (nothing typed is lost).
(function () {
  "use strict";
  var select = document.getElementById("esc-path"), question = document.getElementById("esc-question");
  if (!select || !question) return;
  var details = document.getElementById("esc-path-details");
  select.addEventListener("change", function () {
    var option = select.selectedOptions[0];
    var missing = (option.getAttribute("data-collect") || "").split("\n").filter(function (item) {
      return item && question.value.indexOf("- " + item + ":") < 0;
    });
    if (missing.length) question.value = question.value.replace(/\s*$/, "\n") + missing.map(function (item) { return "- " + item + ": "; }).join("\n");
    if (details) details.hidden = true;  // it described the path first suggested
  });
})();
