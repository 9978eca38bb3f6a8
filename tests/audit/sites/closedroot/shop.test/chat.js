/* A live-chat widget served by the shop: it opens its stream to the chat service as soon as
   the page loads, whatever the visitor chose (a WebSocket, which no request event carries). */
(function () {
  try { new WebSocket("wss://chat.test:{{HTTPS}}/stream"); } catch (e) {}
})();
