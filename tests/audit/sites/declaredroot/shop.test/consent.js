/* The bar's two choices: the choice in a cookie, the stats tag on acceptance; a stored choice
   hides the bar the server drew on every page, and the footer's button shows it again. */
function loadStats() { new Image().src = "https://tracker.test:{{HTTPS}}/collect?p=1"; }
function stored() { var m = document.cookie.match(/(?:^|; )choix=([^;]*)/); return m && m[1]; }
function bar() { return document.querySelector("consent-bar"); }
function choisir(value) {
  document.cookie = "choix=" + value + "; max-age=15552000; path=/";
  if (value === "oui") loadStats();
  bar().hidden = true;
}
function revoir() { bar().hidden = false; }
if (stored()) bar().hidden = true;
if (stored() === "oui") loadStats();
