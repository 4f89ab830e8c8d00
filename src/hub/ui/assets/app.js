// certfleet web UI: the little behaviour that plain HTML lacks. Served from the hub
// (CSP script-src 'self'); no inline handlers, no eval. Every page works without it.
//
// [data-picker]: a searchable multi-select over checkboxes (machines). Typing filters the
//   options by name, address or customer; chosen options stay on top and are always shown;
//   at most 200 matches are listed so 1,000 machines stay quick.
// [data-select-all]: a checkbox that ticks every checkbox named by its value (bulk actions).
'use strict';

(function () {
  const kMaxShown = 200;

  function setupPicker(picker) {
    const search = picker.querySelector('.picker-search');
    const list = picker.querySelector('.picker-options');
    const count = picker.querySelector('.picker-count');
    const more = picker.querySelector('.picker-more');
    const options = Array.from(list.querySelectorAll('label.option'));

    function chosen() {
      return options.filter((o) => o.querySelector('input').checked);
    }

    function render() {
      const query = search.value.trim().toLowerCase();
      let shown = 0;
      let hiddenMatches = 0;
      for (const option of options) {
        const checked = option.querySelector('input').checked;
        const matches = query === '' || option.dataset.search.includes(query);
        const show = checked || (matches && shown < kMaxShown);
        if (!checked && matches && !show) hiddenMatches += 1;
        if (show && !checked) shown += 1;
        option.hidden = !show;
      }
      const picked = chosen();
      for (const option of picked.reverse()) list.prepend(option);
      if (count) count.textContent = picked.length === 1 ? '1 chosen' : `${picked.length} chosen`;
      if (more) {
        more.hidden = hiddenMatches === 0;
        more.textContent = `${hiddenMatches} more match; type more of the name to narrow the list`;
      }
    }

    search.addEventListener('input', render);
    search.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter') return;
      event.preventDefault();  // Enter picks the first match instead of submitting the form
      const first = options.find((o) => !o.hidden && !o.querySelector('input').checked);
      if (first) {
        first.querySelector('input').checked = true;
        search.value = '';
        render();
      }
    });
    list.addEventListener('change', render);
    render();
  }

  function setupSelectAll(box) {
    box.addEventListener('change', () => {
      for (const other of document.querySelectorAll(`input[type=checkbox][name="${box.dataset.selectAll}"]`)) {
        other.checked = box.checked;
      }
    });
  }

  function init(root) {
    for (const picker of root.querySelectorAll('[data-picker]')) setupPicker(picker);
    for (const box of root.querySelectorAll('[data-select-all]')) setupSelectAll(box);
  }

  document.addEventListener('DOMContentLoaded', () => init(document));
  document.addEventListener('htmx:afterSwap', (event) => init(event.target));
})();
