/* Planning discussions, progressive enhancement only: everything works
   without this file. It counts the characters left in a comment box (said
   aloud only near the limit) and stops a second submit of the same form. */
(function () {
  "use strict";

  function addCounter(textarea) {
    var max = parseInt(textarea.getAttribute("maxlength"), 10);
    if (!max) return;
    var counter = document.createElement("p");
    counter.className = "help comment-counter";
    counter.setAttribute("aria-live", "polite");
    textarea.insertAdjacentElement("afterend", counter);
    function update() {
      var left = max - textarea.value.length;
      counter.textContent = left < 200 ? left + " characters left" : "";
    }
    textarea.addEventListener("input", update);
    update();
  }

  function guardSubmit(form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.submitted === "1") {
        event.preventDefault();
        return;
      }
      form.dataset.submitted = "1";
      var button = form.querySelector("button[type=submit]");
      if (button) button.setAttribute("aria-disabled", "true");
    });
  }

  var forms = document.querySelectorAll("[data-discussion] form, [data-polls] form");
  document.querySelectorAll("[data-discussion] textarea[maxlength]").forEach(addCounter);
  forms.forEach(guardSubmit);
  // Coming back with the Back button shows the page as it was left: let its
  // forms be sent again.
  window.addEventListener("pageshow", function () {
    forms.forEach(function (form) {
      delete form.dataset.submitted;
      var button = form.querySelector("button[type=submit]");
      if (button) button.removeAttribute("aria-disabled");
    });
  });
})();
