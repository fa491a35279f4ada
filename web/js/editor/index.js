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
  root.replaceChildren(
    renderAccount(ui, form),
    ...domains.map((domain, d) => renderDomain(ui, form, domain, join('/domains', d), passwords)),
    h('div', { class: 'row' }, h('button', { type: 'button', onclick: addDomain }, '+ domain')));
}
