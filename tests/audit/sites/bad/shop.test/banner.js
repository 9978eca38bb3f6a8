(function () {
  if (document.cookie.indexOf("choice=") >= 0) return;
  var host = document.createElement("div");
  host.id = "consent-host";
  document.body.appendChild(host);
  var root = host.attachShadow({ mode: "open" });
  root.innerHTML =
    '<div style="position:fixed;bottom:0;left:0;right:0;background:#fff;border-top:2px solid #000;padding:1em">' +
    "<p>Nous utilisons des cookies pour mesurer l\u2019audience et personnaliser la publicit\u00e9.</p>" +
    '<button id="ok">Tout accepter</button> <a href="#" id="no">Continuer sans accepter</a></div>';
  function close(value) {
    document.cookie = "choice=" + value + "; max-age=31536000; path=/";
    host.remove();
  }
  root.getElementById("ok").onclick = function () { close("all"); };
  root.getElementById("no").onclick = function (event) { event.preventDefault(); close("none"); };
})();
