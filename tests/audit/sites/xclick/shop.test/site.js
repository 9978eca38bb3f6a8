function loadTracker() {
  var script = document.createElement("script");
  script.src = "https://tracker.test:{{HTTPS}}/analytics.js";
  document.head.appendChild(script);
}
var choice = document.cookie.match(/(?:^|; )consent=([^;]*)/);
if (choice) {
  document.getElementById("consent").style.display = "none";
  if (choice[1] === "all") loadTracker();
}
window.addEventListener("message", function (event) {
  if (event.origin.indexOf("https://ads.test") !== 0) return;
  if (event.data !== "accept" && event.data !== "reject") return;
  document.cookie = "consent=" + (event.data === "accept" ? "all" : "none") + "; max-age=15552000; path=/";
  document.getElementById("consent").style.display = "none";
  if (event.data === "accept") loadTracker();
});
