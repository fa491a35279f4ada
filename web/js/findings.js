// Renders what core found: the summary, the list of findings with their fixes, and each finding
// again beside the field it points at.
import { h, replace } from './dom.js';

const SYMBOL = { error: '●', warning: '▲', info: 'i' };

function plural(n, word) {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

export function renderSummary(root, report) {
  const { errors, warnings, infos } = report.summary;
  replace(root,
    h('h2', {}, 'Findings'),
    h('p', { class: 'counts' },
      h('span', { class: 'chip error' }, `${SYMBOL.error} ${plural(errors, 'error')}`),
      h('span', { class: 'chip warning' }, `${SYMBOL.warning} ${plural(warnings, 'warning')}`),
      h('span', { class: 'chip info' }, `${SYMBOL.info} ${plural(infos, 'info')}`)),
    errors === 0 ? h('p', { class: 'verdict ok' }, 'No errors: the CRM can send through this setup.') : h('p', { class: 'verdict bad' }, 'Fix the errors before the CRM sends through this setup.'));
}

/** The closest field element for a pointer: the field itself or the nearest enclosing one. */
export function fieldFor(editor, pointer) {
  for (let p = pointer; p !== ''; p = p.slice(0, p.lastIndexOf('/'))) {
    const element = [...editor.querySelectorAll('[data-path]')].find((e) => e.dataset.path === p);
    if (element) return element;
  }
  return null;
}

export function renderFindings(root, editor, report) {
  const items = report.findings.map((finding) => {
    const target = fieldFor(editor, finding.path);
    return h('li', { class: `finding ${finding.severity}` },
      h('span', { class: 'severity', title: finding.severity }, SYMBOL[finding.severity], h('span', { class: 'sr' }, ` ${finding.severity}`)),
      h('div', { class: 'body' },
        h('p', { class: 'message' }, finding.message),
        finding.fix ? h('p', { class: 'fix' }, h('strong', {}, 'Fix: '), finding.fix) : null,
        h('p', { class: 'where' },
          h('code', {}, finding.code), ' at ',
          target
            ? h('a', { href: '#', onclick: (e) => { e.preventDefault(); focusField(target); } }, finding.path || '/')
            : h('code', {}, finding.path || '/'))));
  });
  replace(root, items.length ? h('ul', { class: 'finding-list' }, items) : h('p', { class: 'empty' }, 'Nothing to report.'));
}

function focusField(element) {
  element.scrollIntoView({ behavior: 'smooth', block: 'center' });
  element.querySelector('input, select, textarea')?.focus({ preventScroll: true });
  element.classList.add('flash');
  setTimeout(() => element.classList.remove('flash'), 1200);
}

/** Shows each finding under the field it points at (or the nearest enclosing one). */
export function renderInlineFindings(editor, report) {
  for (const old of editor.querySelectorAll('.inline-finding')) old.remove();
  for (const element of editor.querySelectorAll('.has-error, .has-warning')) element.classList.remove('has-error', 'has-warning');
  for (const finding of report.findings) {
    const target = fieldFor(editor, finding.path);
    if (!target) continue;
    if (finding.severity !== 'info') target.classList.add(`has-${finding.severity}`);
    const note = h('p', { class: `inline-finding ${finding.severity}` }, `${SYMBOL[finding.severity]} ${finding.message}`);
    if (target.tagName === 'FIELDSET') target.querySelector('legend')?.after(note);
    else target.append(note);
  }
}
