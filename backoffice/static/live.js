// Live orders: the server streams the shop's change-log head; when it moves,
// the list is fetched again and swapped in, keeping the search the owner typed.
(function () {
  var live = document.getElementById("live");
  if (!live || !window.EventSource) return;
  var src = new EventSource(live.dataset.events);
  var busy = false;
  src.addEventListener("change", function () {
    if (busy) return;
    busy = true;
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("orders");
        var tabs = doc.querySelector(".tabs");
        if (fresh) document.getElementById("orders").replaceWith(fresh);
        if (tabs) document.querySelector(".tabs").replaceWith(tabs);
        document.body.dataset.updated = String(Date.now());
      })
      .catch(function () { live.hidden = false; })
      .then(function () { busy = false; });
  });
})();
