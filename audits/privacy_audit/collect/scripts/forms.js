() => Array.from(document.forms).filter(f =>
  f.querySelector('input[type=email], input[type=password], input[type=tel], input[type=text],'
    + ' input:not([type]), textarea')
).map(f => { try { const u = new URL(f.action || location.href, location.href);
  return u.protocol === 'http:' ? u.origin + u.pathname : null; } catch (e) { return null; } }
).filter(Boolean)
