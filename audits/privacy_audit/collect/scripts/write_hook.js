(() => {
  // Reports, by name only (never a value), each cookie written through document.cookie or
  // the Cookie Store API, each localStorage or sessionStorage key set through setItem and
  // each IndexedDB database created, with the first script URL on the stack; and each timer
  // a page script sets for HORIZON ms at most (an interval: its first tick): a late tag's
  // work is still to come. Our own scripts (autoconsent, the banner scan) have no URL on
  // their stack: their timers are not the page's.
  // Reports go in batches, one binding call per burst (a script setting five cookies at
  // once is one call, not five: each call crosses the browser, the driver and Python, about
  // 5 ms of CPU): at the end of the current task, every 100 reports, and when the document
  // goes away (a frame removed in the same task).
  const later = window.queueMicrotask;
  const queue = [];
  const flush = () => {
    if (!queue.length) return;
    const batch = queue.splice(0, queue.length);
    try { const send = window.BINDING; if (send) send(batch); } catch (e) {}
  };
  const report = data => {
    queue.push(data);
    if (queue.length >= 100) flush();
    else if (queue.length === 1) later.call(window, flush);
  };
  window.addEventListener('pagehide', flush, true);
  const scriptOf = () => {
    const lines = String(new Error().stack || '').split('\n').slice(3).join('\n');
    const found = lines.match(/(https?:\/\/[^\s()]+?):\d+:\d+/);
    return found ? found[1] : null;
  };
  const desc = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  if (desc && desc.set && desc.configurable) {
    Object.defineProperty(Document.prototype, 'cookie', {
      configurable: true, enumerable: desc.enumerable,
      get() { return desc.get.call(this); },
      set(value) {
        try {
          const text = String(value);
          const name = text.split(';')[0].split('=')[0].trim();
          const domain = (text.match(/;\s*domain\s*=\s*([^;]+)/i) || [])[1] || location.hostname;
          report({kind: 'cookie', name, domain, script: scriptOf() || location.href});
        } catch (e) {}
        return desc.set.call(this, value);
      },
    });
  }
  // The Cookie Store API (secure pages): cookieStore.set(name, value) or set({name, domain}).
  try {
    const store = window.CookieStore && window.CookieStore.prototype;
    const storeSet = store && store.set;
    if (typeof storeSet === 'function') {
      store.set = function (first) {
        try {
          const options = first && typeof first === 'object' ? first : {name: first};
          const name = String(options.name === undefined ? '' : options.name).trim();
          const domain = options.domain ? String(options.domain) : location.hostname;
          report({kind: 'cookie', name, domain, script: scriptOf() || location.href});
        } catch (e) {}
        return storeSet.apply(this, arguments);
      };
    }
  } catch (e) {}
  try {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
      try {
        const kind = this === window.localStorage ? 'local_storage' : 'session_storage';
        report({kind, name: String(key), origin: location.origin, script: scriptOf()});
        const seen = window[STORAGE_SEEN_KEY];
        if (seen) seen[kind === 'local_storage' ? 'local' : 'session'].hooked.add(String(key));
      } catch (e) {}
      return setItem.apply(this, arguments);
    };
  } catch (e) {}
  // A key written as a property (localStorage.x = ...) goes through no method to hook. So
  // that the storage snapshot can still tell this document's keys from others', it keeps
  // the keys each area held when this document started, those that another document of
  // the origin created since (the `storage` event: the phase's other tab) and those set
  // through setItem (reported above), out of the page's sight (a symbol, not enumerable).
  try {
    const seen = {};
    for (const [area, name] of [['local', 'localStorage'], ['session', 'sessionStorage']]) {
      let keys = [];
      try { keys = Object.keys(window[name]); } catch (e) {}
      seen[area] = {start: new Set(keys), elsewhere: new Set(), hooked: new Set()};
    }
    // Created by another document (no old value; values are never kept): not this one's.
    // A key this document created first and another wrote again stays this document's.
    window.addEventListener('storage', event => {
      try {
        const area = event.storageArea === window.sessionStorage ? 'session' : 'local';
        if (event.key !== null && event.oldValue === null) seen[area].elsewhere.add(event.key);
      } catch (e) {}
    }, true);
    Object.defineProperty(window, STORAGE_SEEN_KEY, {value: seen});
  } catch (e) {}
  // An IndexedDB database created, by name: opening one that exists writes nothing (and
  // a page that opens its database again and again is not busy for it).
  try {
    const open = IDBFactory.prototype.open;
    IDBFactory.prototype.open = function (name) {
      const request = open.apply(this, arguments);
      try {
        const script = scriptOf();
        request.addEventListener('upgradeneeded', event => {
          if (event.oldVersion === 0)
            report({kind: 'indexed_db', name: String(name), origin: location.origin, script});
        });
      } catch (e) {}
      return request;
    };
  } catch (e) {}
  // Timers set outside a poll: a timer's callback that arms the next one is a poll or a
  // carousel, which would keep every page busy until the settle's end. A callback of a timer
  // shorter than 100 ms is a deferral, not a poll (a tag manager fires its tags from
  // setTimeout(..., 0)): the timers it sets count. An interval's first tick counts; its
  // ticks are a poll.
  const setTimeout = window.setTimeout;
  const setInterval = window.setInterval;
  let inPoll = 0;
  const hook = (original, repeats) => function (...args) {
    const callback = args[0];
    const wait = Number(args[1]) || 0;
    if (!inPoll && wait >= 100 && wait <= HORIZON) {
      try { if (scriptOf()) report({kind: 'timer', delay: wait}); } catch (e) {}
    }
    if (typeof callback === 'function' && (repeats || wait >= 100)) {
      args[0] = function (...inner) {
        inPoll++;
        try { return callback.apply(this, inner); } finally { inPoll--; }
      };
    }
    return original.apply(this, args);
  };
  window.setTimeout = hook(setTimeout, false);
  window.setInterval = hook(setInterval, true);
})();
