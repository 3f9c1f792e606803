/* Small enhancements only; every page works without this file. */
(function () {
  "use strict";
  // Map form: the tick boxes list the codes of the framework chosen when the page was
  // loaded. When the reader picks another one, clear and set them aside so they are
  // not sent as codes of the new framework.
  var from = document.getElementById("map-from");
  var choices = document.getElementById("map-choices");
  if (from && choices) {
    var original = from.getAttribute("data-codes-for");
    from.addEventListener("change", function () {
      var stale = from.value !== original;
      var boxes = choices.querySelectorAll("input[type=checkbox]");
      for (var i = 0; i < boxes.length; i++) {
        boxes[i].disabled = stale;
        if (stale) { boxes[i].checked = false; }
      }
      var note = document.getElementById("map-choices-stale");
      if (note) { note.hidden = !stale; }
    });
  }
})();
