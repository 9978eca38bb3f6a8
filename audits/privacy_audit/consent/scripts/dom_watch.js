(() => {
  let waiting = false;
  const report = () => { waiting = false;
    try { window.BINDING && window.BINDING(); } catch (e) {} };
  const changed = () => { if (!waiting) { waiting = true; setTimeout(report, PAUSE); } };
  try { new MutationObserver(changed).observe(document,
    {childList: true, subtree: true, attributes: true, attributeFilter: ['class', 'style']});
  } catch (e) {}
})();
