/* The shop's app framework: it registers the browser's installation in an IndexedDB database
   on every page, whatever the visitor chose (as Firebase's installations service does). */
(function () {
  // Its front page sends browsers asking for another language to /en/ (as Polylang's
  // "detect the browser's language" does): only a French-speaking visitor stays.
  if (location.pathname === "/" && !/^fr\b/i.test(navigator.language)) {
    location.replace("/en/");
    return;
  }
  var request = indexedDB.open("firebase-installations-database", 1);
  request.onupgradeneeded = function () { request.result.createObjectStore("firebase-installations-store"); };
  request.onsuccess = function () { request.result.close(); };
})();
