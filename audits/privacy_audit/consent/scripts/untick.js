() => {
  let count = 0;
  const visit = root => {
    for (const box of root.querySelectorAll('input[type=checkbox], [role=switch]')) {
      const on = box.matches('input') ? box.checked : box.getAttribute('aria-checked') === 'true';
      if (on && !box.disabled && box.getAttribute('aria-disabled') !== 'true') {
        box.click(); count++;
      }
    }
    for (const el of root.querySelectorAll('*')) { const inner = SHADOW_ROOT(el); if (inner) visit(inner); }
  };
  visit(document);
  return count;
}
