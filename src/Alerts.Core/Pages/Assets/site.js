// Small progressive enhancement: everything works without it.
// Preselects the visitor's own IANA time zone in any time zone list that still shows the default.
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) { return; }
  var lists = document.querySelectorAll("select[data-browser-zone]");
  for (var i = 0; i < lists.length; i++) {
    var list = lists[i];
    for (var j = 0; j < list.options.length; j++) {
      if (list.options[j].value === zone) { list.value = zone; break; }
    }
  }
})();
