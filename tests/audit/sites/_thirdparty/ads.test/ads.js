/* "Shop Ads": an advertising tag. A first-party cookie, a sessionStorage key, a pixel whose
   response sets a third-party cookie, and an iframe keeping its own localStorage. */
(function () {
  document.cookie = "_ads_fp=v1; max-age=7776000; path=/";
  try { sessionStorage.setItem("ads_session", "1"); } catch (e) {}
  new Image().src = "https://ads.test:{{HTTPS}}/pixel.gif";
  var frame = document.createElement("iframe");
  frame.src = "https://ads.test:{{HTTPS}}/frame.html";
  frame.width = 1; frame.height = 1; frame.style.border = "0";
  (document.body || document.documentElement).appendChild(frame);
})();
