// Sociograms: pointing at or focusing a person (or school) fades every tie
// but theirs, so one member's collaborations can be read in a dense map.
// The picture and the tables work without it.
(function () {
  "use strict";
  document.querySelectorAll("figure.sociogram svg").forEach(function (svg) {
    var nodes = svg.querySelectorAll("circle.node[data-id]");
    var ties = svg.querySelectorAll("[data-source][data-target]");
    function show(id) {
      svg.classList.toggle("focused", id !== null);
      ties.forEach(function (t) {
        var on = id !== null && (t.getAttribute("data-source") === id || t.getAttribute("data-target") === id);
        t.classList.toggle("lit", on);
      });
      nodes.forEach(function (n) {
        n.classList.toggle("lit", id !== null && n.getAttribute("data-id") === id);
      });
    }
    nodes.forEach(function (n) {
      n.setAttribute("tabindex", "0");
      n.addEventListener("mouseenter", function () { show(n.getAttribute("data-id")); });
      n.addEventListener("focus", function () { show(n.getAttribute("data-id")); });
      n.addEventListener("mouseleave", function () { show(null); });
      n.addEventListener("blur", function () { show(null); });
    });
  });
})();
