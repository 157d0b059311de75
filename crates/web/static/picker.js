// A picker beside a field of codes: search by code, name or region, tick
// to add or remove a code in the field. Without script the field is typed.
document.querySelectorAll("details.picker").forEach(function (picker) {
  var field = document.getElementById(picker.dataset.for);
  if (!field) return;
  picker.hidden = false;
  var q = picker.querySelector(".picker-q");
  var count = picker.querySelector(".picker-count");
  var items = Array.prototype.slice.call(picker.querySelectorAll("li"));
  var codes = function () {
    return field.value.split(/[\s,;]+/).filter(function (c) { return c.length > 0; });
  };
  var sync = function () {
    var now = codes().map(function (c) { return c.toUpperCase(); });
    items.forEach(function (li) {
      var box = li.querySelector("input");
      box.checked = now.indexOf(box.value.toUpperCase()) >= 0;
    });
  };
  var filter = function () {
    var words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (li) {
      var text = li.dataset.text.toLowerCase();
      var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
      li.hidden = !hit;
      if (hit) shown += 1;
    });
    count.textContent = shown + " / " + items.length;
  };
  picker.addEventListener("change", function (e) {
    var box = e.target;
    if (!box.matches("input[type=checkbox]")) return;
    var list = codes().filter(function (c) { return c.toUpperCase() !== box.value.toUpperCase(); });
    if (box.checked) list.push(box.value);
    field.value = list.join(", ");
  });
  field.addEventListener("input", sync);
  q.addEventListener("input", filter);
  sync();
  filter();
});
