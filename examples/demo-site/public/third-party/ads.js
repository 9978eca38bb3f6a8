/* A stand-in for an advertising tag, loaded by the consent manager only after "Accept all":
   a first-party cookie, and a frame of the ad host keeping its own cookie and storage. */
(function () {
  document.cookie = "_fbp=fb.1.demo; max-age=7776000; path=/; SameSite=Lax";
  var frame = document.createElement("iframe");
  frame.src = "http://localhost:{{PORT}}/third-party/frame.html";
  frame.width = 1; frame.height = 1; frame.title = "ad"; frame.style.border = "0";
  document.body.appendChild(frame);
})();
