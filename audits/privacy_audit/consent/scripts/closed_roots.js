(() => {
  // A banner drawn in a closed shadow root (attachShadow({mode: 'closed'})) is out of reach of
  // any script, the banner scan's too. Each closed root is kept on its host under CLOSED_ROOT_KEY,
  // a registered symbol the page does not know of, for the scans alone: the page's roots stay
  // closed (host.shadowRoot is still null). Roots declared in the HTML are not seen.
  const attach = Element.prototype.attachShadow;
  if (typeof attach !== 'function') return;
  const replacement = {
    attachShadow(init) {
      const root = attach.apply(this, arguments);
      try {
        if (init && init.mode === 'closed')
          Object.defineProperty(this, CLOSED_ROOT_KEY, {value: root, configurable: true});
      } catch (e) {}
      return root;
    },
  }.attachShadow;
  const desc = Object.getOwnPropertyDescriptor(Element.prototype, 'attachShadow');
  Object.defineProperty(Element.prototype, 'attachShadow', {...desc, value: replacement});
})();
