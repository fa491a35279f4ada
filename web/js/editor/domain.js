// The domain section: a sending domain, its return path, its relays (at most core's limit) and
// its traffic.
import { h } from '../dom.js';
import { get, join } from '../pointer.js';
import { fieldsOf } from '../choices.js';
import { renderRelay, newRelay } from './relay.js';
import { renderTraffic } from './traffic.js';

/** A new domain: core's defaults (form.defaults.domain), with one new relay. */
export function newDomain(form) {
  return { ...structuredClone(form.defaults.domain), relays: [newRelay(form)] };
}

/** The domain at `base` (/domains/N). */
export function renderDomain(ui, form, domain, base, passwords) {
  const relays = Array.isArray(domain?.relays) ? domain.relays : [];
  const fields = fieldsOf(form.choices.returnPath, domain?.returnPath, form.defaults.domain.returnPath);
  const max = form.limits.maxRelaysPerDomain;
  const canAdd = relays.length < max;
  const addRelay = () => {
    relays.push(newRelay(form));
    ui.edit(join(base, 'relays'), relays, true);
  };
  const remove = () => {
    get(ui.config, '/domains').splice(Number(base.split('/').pop()), 1);
    passwords.clear();
    ui.onChange(true);
  };
  return h('fieldset', { class: 'card domain', dataset: { path: base } },
    h('legend', {}, 'Domain ', h('strong', {}, domain?.name || '(unnamed)')),
    ui.field('Domain name', join(base, 'name'), ui.text(join(base, 'name'), 'example.com')),
    ui.field('CRM signs DKIM', join(base, 'crmDkim', 'enabled'),
      ui.checkbox(join(base, 'crmDkim', 'enabled'), form.defaults.domain.crmDkim?.enabled ?? true)),
    ui.field('Return path', join(base, 'returnPath'), ui.select(join(base, 'returnPath'), form.choices.returnPath)),
    'returnPathAddress' in fields
      ? ui.field('Return-path address', join(base, 'returnPathAddress'), ui.text(join(base, 'returnPathAddress'), 'bounce@example.com'))
      : null,
    relays.map((relay, r) => renderRelay(ui, form, relay, join(base, 'relays', r), passwords)),
    h('div', { class: 'row' },
      h('button', { type: 'button', disabled: !canAdd, title: canAdd ? '' : `At most ${max} relay servers per domain`, onclick: addRelay }, '+ relay'),
      h('button', { type: 'button', class: 'danger', onclick: remove }, 'Remove domain')),
    renderTraffic(ui, form, join(base, 'traffic')));
}
