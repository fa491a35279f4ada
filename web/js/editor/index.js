// The configuration editor: a form over the config object, one module per section (account,
// domain, relay, traffic). It decides nothing and holds no fact of core's: the choices, their
// words, the defaults of a new domain or relay and the limits all come from core's `form`.
import { h } from '../dom.js';
import { join } from '../pointer.js';
import { createFields } from './fields.js';
import { renderAccount } from './account.js';
import { renderDomain, newDomain } from './domain.js';

/**
 * Renders the editor for `config` into `root`. `onChange(structural)` is called after every edit;
 * `structural` is true when the form's shape changed (a relay added, a mode switched) and the
 * editor must be drawn again. `passwords` holds passwords in memory only, by relay pointer;
 * `form` is core's answer to `form`; `collapsed` holds the pointers of the domain cards folded
 * shut, kept by the caller across drawings.
 */
export function renderEditor(root, config, { onChange, passwords, form, collapsed = new Set() }) {
  const ui = createFields(config, onChange, form.fields);
  ui.collapsed = collapsed;
  const domains = Array.isArray(config.domains) ? config.domains : [];
  const addDomain = () => {
    config.domains = domains;
    domains.push(newDomain(form));
    onChange(true, 'Add a domain');
  };
  const focus = focusOf(root);
  root.replaceChildren(
    renderAccount(ui, form),
    ...domains.map((domain, d) => renderDomain(ui, form, domain, join('/domains', d), passwords)),
    h('div', { class: 'row' }, h('button', { type: 'button', onclick: addDomain }, '+ domain')));
  restoreFocus(root, focus);
}

const FOCUSABLE = 'input, select, textarea, button, summary, [tabindex="0"]';

/** Where the keyboard is in the editor: the field's pointer and which of its controls. */
function focusOf(root) {
  const active = document.activeElement;
  if (!active || active === root || !root.contains(active)) return null;
  const holder = active.closest('[data-path]');
  const scope = holder ?? root;
  return {
    path: holder?.dataset.path ?? null,
    index: [...scope.querySelectorAll(FOCUSABLE)].indexOf(active),
    tag: active.localName,
    text: active.textContent,
    selection: typeof active.selectionStart === 'number' ? [active.selectionStart, active.selectionEnd] : null,
  };
}

/** Puts the keyboard back on the same control of the same field after a drawing (issue 16:
 *  focus used to drop to the page's body after every select or checkbox that redraws). */
function restoreFocus(root, focus) {
  if (!focus) return;
  const scope = focus.path === null ? root
    : [...root.querySelectorAll('[data-path]')].find((e) => e.dataset.path === focus.path);
  if (!scope) return;
  const controls = [...scope.querySelectorAll(FOCUSABLE)];
  const same = controls[focus.index];
  const target = same?.localName === focus.tag && (focus.tag !== 'button' || same.textContent === focus.text) ? same
    : controls.find((c) => c.localName === focus.tag && c.textContent === focus.text) ?? controls[0];
  target?.focus({ preventScroll: true });
  if (target && focus.selection && typeof target.setSelectionRange === 'function') {
    try { target.setSelectionRange(...focus.selection); } catch { /* not a text control */ }
  }
}
