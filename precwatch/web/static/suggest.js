// Knowledge-base autocomplete for inputs with class "kb-suggest": fills their <datalist> from /ui/kb/suggest.
(function () {
  "use strict";
  var timer = null;
  document.querySelectorAll("input.kb-suggest").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var words = input.value.split(/[,;]\s*/);
      var q = words[words.length - 1];
      if (q.length < 2) { return; }
      timer = setTimeout(function () {
        fetch("/ui/kb/suggest?q=" + encodeURIComponent(q), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (items) {
            list.textContent = "";
            items.forEach(function (it) {
              var opt = document.createElement("option");
              opt.value = it.name + (it.cas ? " (CAS " + it.cas + ")" : "");
              list.appendChild(opt);
            });
          });
      }, 150);
    });
  });
})();
