/* As performance plugins do (WP Rocket's "Delay JavaScript execution", Perfmatters, Flying
   Scripts): the site's tags wait for the visitor's first gesture, then run. No timer. */
(function () {
  var gestures = ["keydown", "mousedown", "mousemove", "touchmove", "touchstart", "touchend", "wheel"];
  function run() {
    gestures.forEach(function (name) { window.removeEventListener(name, run, {passive: true}); });
    document.querySelectorAll('script[type="rocketlazyloadscript"]').forEach(function (held) {
      var script = document.createElement("script");
      script.src = held.getAttribute("data-rocket-src");
      document.head.appendChild(script);
    });
  }
  gestures.forEach(function (name) { window.addEventListener(name, run, {passive: true}); });
})();
