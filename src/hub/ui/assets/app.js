// certfleet web UI: the little behaviour that plain HTML lacks. Served from the hub
// (CSP script-src 'self'); no inline handlers, no eval. Every page works without it.
//
// [data-picker]: a searchable multi-select over checkboxes (machines). Typing filters the
//   options by name, address or customer; chosen options stay on top and are always shown;
//   at most 200 matches are listed so 1,000 machines stay quick. Keyboard: the list is one
//   Tab stop (roving tabindex); Down from the search box enters it, Up/Down/Home/End move,
//   Space ticks, Up from the first option returns to the search; Enter in the search box
//   picks the first match; Escape clears the search.
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

    const inputOf = (option) => option.querySelector('input');

    function chosen() {
      return options.filter((o) => inputOf(o).checked);
    }

    function visibleInputs() {
      return Array.from(list.querySelectorAll('label.option:not([hidden]) input'));
    }

    // One Tab stop in the list: the focused option if still shown, else the first shown.
    function rove(target) {
      const shown = visibleInputs();
      const stop = target && shown.includes(target) ? target : shown[0];
      for (const option of options) inputOf(option).tabIndex = -1;
      if (stop) stop.tabIndex = 0;
      return stop;
    }

    function move(event) {
      const shown = visibleInputs();
      const at = shown.indexOf(document.activeElement);
      let next = null;
      if (event.key === 'ArrowDown') next = shown[Math.min(shown.length - 1, at + 1)];
      else if (event.key === 'ArrowUp') next = at <= 0 ? search : shown[at - 1];
      else if (event.key === 'Home') next = shown[0];
      else if (event.key === 'End') next = shown[shown.length - 1];
      else return;
      event.preventDefault();
      if (next !== search) rove(next);
      if (next) next.focus();
    }

    function render() {
      // Moving a chosen option to the top would drop the keyboard focus: put it back.
      const focused = list.contains(document.activeElement) ? document.activeElement : null;
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
      rove(focused);
      if (focused && document.activeElement !== focused && !focused.closest('[hidden]')) focused.focus();
    }

    search.addEventListener('input', render);
    search.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowDown') {
        event.preventDefault();
        const first = rove(null);
        if (first) first.focus();
        return;
      }
      if (event.key === 'Escape' && search.value !== '') {
        event.preventDefault();
        search.value = '';
        render();
        return;
      }
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
    list.addEventListener('keydown', move);
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
