/* "Geste Stats": an audience tag that sets its id and sends a hit, once it runs. */
(function () {
  document.cookie = "_gst_id=g1; max-age=33696000; path=/; SameSite=Lax";
  new Image().src = "https://tracker.test:{{HTTPS}}/collect?g=1";
})();
