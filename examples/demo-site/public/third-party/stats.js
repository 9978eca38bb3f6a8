/* A stand-in for an audience-measurement tag, served from "localhost": another site than
   127.0.0.1 for the browser, so the audit sees a third party. The demo site loads it
   without waiting for consent: the audit should catch that. */
(function () {
  var twoYears = 63072000;
  document.cookie = "_ga=GA1.1.demo; max-age=" + twoYears + "; path=/; SameSite=Lax";
  document.cookie = "_ga_DEMO42=GS1.1.demo; max-age=" + twoYears + "; path=/; SameSite=Lax";
  new Image().src = "http://localhost:{{PORT}}/third-party/collect.gif?page=" + encodeURIComponent(location.pathname);
})();
