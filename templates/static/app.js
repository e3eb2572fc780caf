// Small enhancements for the clinician app; every page works without them.
// - Search as you type in the program builder (results refresh in place).
// - Copy buttons for new patient links.
(function () {
  "use strict";

  var search = document.getElementById("search-form");
  var results = document.getElementById("results");
  if (search && results) {
    var timer = null;
    var refresh = function () {
      var params = new URLSearchParams(new FormData(search));
      fetch(search.action + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (!html) { return; }
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.getElementById("results");
          if (fresh) { results.innerHTML = fresh.innerHTML; }
          // Keep the draft form's hidden search fields in step.
          params.forEach(function (value, key) {
            var hidden = document.querySelector("#draft input[type=hidden][name=" + key + "]");
            if (hidden) { hidden.value = value; }
          });
        })
        .catch(function () { /* the Search button still works */ });
    };
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 250);
    });
    search.addEventListener("change", refresh);
  }

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-copy"));
      if (!field) { return; }
      field.select();
      if (navigator.clipboard) {
        navigator.clipboard.writeText(field.value).then(function () { button.textContent = "Copied"; });
      }
    });
  });
})();

// Destructive one-button forms ask first (the server does not depend on it).
(function () {
  "use strict";
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
})();
