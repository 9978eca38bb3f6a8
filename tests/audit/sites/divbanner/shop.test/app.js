/* The shop's app framework: it registers the browser's installation in an IndexedDB database
   on every page, whatever the visitor chose (as Firebase's installations service does). */
(function () {
  var request = indexedDB.open("firebase-installations-database", 1);
  request.onupgradeneeded = function () { request.result.createObjectStore("firebase-installations-store"); };
  request.onsuccess = function () { request.result.close(); };
})();
