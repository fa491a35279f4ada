// The configuration editor: a form over the config object, one module per section (account,
// domain, relay, traffic). It decides nothing and holds no fact of core's: the choices, their
// words, the defaults of a new domain or relay and the limits all come from core's `form`.
import { h } from '../dom.js';
import { join } from '../pointer.js';
import { createFields } from './fields.js';
import { renderAccount } from './account.js';
import { renderDomain, newDomain, buildDomainCard } from './domain.js';

/**
 * Renders the editor for `config` into `root`. `onChange(structural)` is called after every edit;
 * `structural` is true when the form's shape changed (a relay added, a mode switched) and the
 * editor must be drawn again. `passwords` holds passwords in memory only, by relay pointer;
 * `form` is core's answer to `form`; `collapsed` holds the pointers of the domain cards folded
 * shut, kept by the caller across drawings. A card drawn folded is its header line only; its body
 * is built when it is first opened, and `onBuild(card)` (optional) is called then, so that what
 * points into it (the findings beside its fields) can be drawn.
 *
 * `pause` (optional) is awaited before each domain, so that 500 domains are drawn over several
 * tasks (issue 16: drawn in one, they held the page 2-5 s); it resolves to false when this drawing
 * is no longer wanted. The new form replaces the one shown at once, when it is whole: until then
 * the form shown stays as it was. With `progressive` (a config that replaced another: the form
 * shown edits a config no longer there) the form shown goes at once and the new one is drawn in
 * place, domain after domain. Resolves to true when drawn, false when it stopped.
 */
export async function renderEditor(root, config, { onChange, passwords, form, collapsed = new Set(), pause = async () => true, progressive = false, onBuild }) {
  const ui = createFields(config, onChange, form.fields);
  ui.collapsed = collapsed;
  ui.onBuild = onBuild;
  const domains = Array.isArray(config.domains) ? config.domains : [];
  const addDomain = () => {
    config.domains = domains;
    domains.push(newDomain(form));
    onChange(true, 'Add a domain');
  };
  const addRow = () => h('div', { class: 'row' }, h('button', { type: 'button', onclick: addDomain }, '+ domain'));
  if (progressive) {
    root.replaceChildren(renderAccount(ui, form));
    for (let d = 0; d < domains.length; d++) {
      if (!(await pause())) return false;
      root.append(renderDomain(ui, form, domains[d], join('/domains', d), passwords));
    }
    root.append(addRow());
    return true;
  }
  const parts = [renderAccount(ui, form)];
  for (let d = 0; d < domains.length; d++) {
    if (!(await pause())) return false;
    parts.push(renderDomain(ui, form, domains[d], join('/domains', d), passwords));
  }
  parts.push(addRow());
  const focus = focusOf(root);
  root.replaceChildren(...parts);
  restoreFocus(root, focus);
  return true;
}

/** True when `config` has more domains than core's limit for a form of open cards
 *  (form.limits.foldDomainsAbove); a core without the limit folds none. */
export function foldsDomains(config, form) {
  const count = Array.isArray(config?.domains) ? config.domains.length : 0;
  return count > (form?.limits?.foldDomainsAbove ?? Infinity);
}

/** The folds of a config drawn for the first time: every domain card when there are more than
 *  core's limit (500 open cards were 190,000 elements), else none, as `collapsed` (cleared). */
export function foldAtStart(config, form, collapsed) {
  collapsed.clear();
  if (!foldsDomains(config, form)) return;
  config.domains.forEach((_, d) => collapsed.add(join('/domains', d)));
}

/** Builds every domain card of the editor in `root` that was drawn folded and never opened (they
 *  stay folded); how many were built. */
export function buildFoldedCards(root) {
  let built = 0;
  for (const card of root.querySelectorAll('.card.domain[data-unbuilt]')) if (buildDomainCard(card)) ++built;
  return built;
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
