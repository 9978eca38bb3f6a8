(() => {
  const desc = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  if (!desc || !desc.set || !desc.configurable) return;
  Object.defineProperty(Document.prototype, 'cookie', {
    configurable: true, enumerable: desc.enumerable,
    get() { return desc.get.call(this); },
    set(value) {
      try {
        const report = window.__privacyPagesCookieWrite;
        const lines = String(new Error().stack || '').split('\n').slice(2).join('\n');
        const found = lines.match(/(https?:\/\/[^\s()]+?):\d+:\d+/);
        const text = String(value);
        const name = text.split(';')[0].split('=')[0].trim();
        const domain = (text.match(/;\s*domain\s*=\s*([^;]+)/i) || [])[1] || location.hostname;
        if (report) report({name, domain, script: found ? found[1] : location.href});
      } catch (e) {}
      return desc.set.call(this, value);
    },
  });
})();
