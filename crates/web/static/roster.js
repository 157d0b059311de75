// Roster question: search-as-you-type over the people, and each closed row
// showing the level chosen. The page works without it.
(function () {
  "use strict";
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  document.querySelectorAll("[data-roster]").forEach(function (roster) {
    var input = roster.querySelector("[data-roster-search]");
    var label = roster.querySelector("[data-roster-search-label]");
    var none = roster.querySelector("[data-roster-none]");
    var people = Array.prototype.slice.call(roster.querySelectorAll("[data-roster-person]"));
    var schools = roster.querySelectorAll("[data-roster-school]");
    if (label) { label.hidden = false; }
    function filter() {
      var q = fold(input.value.trim());
      var shown = 0;
      people.forEach(function (p) {
        var hit = q === "" || fold(p.getAttribute("data-name")).indexOf(q) >= 0;
        p.hidden = !hit;
        if (hit) { shown += 1; }
      });
      schools.forEach(function (s) {
        s.hidden = s.querySelector("[data-roster-person]:not([hidden])") === null;
      });
      if (none) { none.hidden = shown > 0; }
    }
    if (input) { input.addEventListener("input", filter); }
    // The count follows the choices as they are made, not only on saving.
    var count = roster.querySelector("[data-roster-count] strong");
    function recount() {
      if (!count) { return; }
      var done = people.filter(function (p) {
        return p.querySelector("input[type=radio]:checked") !== null;
      }).length;
      count.textContent = done + " / " + people.length;
    }
    people.forEach(function (p) {
      p.addEventListener("change", function (e) {
        if (e.target.type !== "radio") { return; }
        var text = e.target.parentNode.textContent.trim();
        var s = p.querySelector("[data-roster-summary]");
        if (s) { s.textContent = text; }
        recount();
      });
      // One person open at a time keeps a long roster short on a phone.
      p.addEventListener("toggle", function () {
        if (!p.open) { return; }
        people.forEach(function (other) {
          if (other !== p && other.open) { other.open = false; }
        });
      });
    });
    recount();
  });
})();
