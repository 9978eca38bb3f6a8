/* A consent manager written as a web component whose shadow root is closed (as some are, so
   that the site's styles cannot reach it): the banner, its two choices and, once the choice
   is made, a "Gérer mes cookies" tab to change it all live inside it. Acceptance loads the
   stats tag. */
(function () {
  function loadStats() { new Image().src = "https://tracker.test:{{HTTPS}}/collect?p=1"; }
  function stored() { var m = document.cookie.match(/(?:^|; )choix=([^;]*)/); return m && m[1]; }
  var BAR = "position:fixed;bottom:0;left:0;right:0;background:#fff;padding:1em;border-top:2px solid #000";
  var TAB = "position:fixed;bottom:0;left:1em;background:#eee;padding:.3em .6em;cursor:pointer";
  class CookieConsent extends HTMLElement {
    constructor() { super(); this._root = this.attachShadow({mode: "closed"}); }
    connectedCallback() { var choice = stored(); if (choice === "oui") loadStats(); this.draw(!choice); }
    draw(asking) {
      var root = this._root, self = this;
      if (!asking) {
        root.innerHTML = '<button style="' + TAB + '">Gérer mes cookies</button>';
        root.querySelector("button").onclick = function () { self.draw(true); };
        return;
      }
      root.innerHTML = '<div role="dialog" style="' + BAR + '">' +
        "<p>Nous utilisons des cookies pour mesurer l'audience de la boutique.</p>" +
        '<button id="non">Tout refuser</button> <button id="oui">Tout accepter</button></div>';
      root.querySelector("#oui").onclick = function () { self.choose("oui"); };
      root.querySelector("#non").onclick = function () { self.choose("non"); };
    }
    choose(value) {
      document.cookie = "choix=" + value + "; max-age=15552000; path=/";
      if (value === "oui") loadStats();
      this.draw(false);
    }
  }
  customElements.define("cookie-consent", CookieConsent);
})();
