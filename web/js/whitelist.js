// The whitelist panel: the CRM's ranges a relay must admit, each IP-authenticated relay's gaps,
// and ready snippets for the common MTAs. Core computes every list and every snippet, and names
// the formats and data centres (form.choices).
import { h, replace } from './dom.js';
import { labelOf } from './choices.js';

function relayResult(relay) {
  return h('li', { class: relay.complete ? 'ok' : 'bad' },
    h('strong', {}, relay.host || relay.path), ': ',
    relay.complete
      ? 'admits every CRM range.'
      : ['misses ', h('code', {}, relay.missing.join(', ')), ` (${relay.missingAddresses?.ipv4 ?? '?'} IPv4 addresses).`]);
}

export function renderWhitelist(root, report, state) {
  const whitelist = report.whitelist;
  if (!whitelist || !whitelist.snippets) {
    replace(root);
    return;
  }
  const formats = state.form.choices.snippetFormat;
  const format = state.snippetFormat ?? formats[0].value;
  const code = h('pre', { class: 'snippet' }, h('code', {}, whitelist.snippets[format] ?? ''));
  const copy = h('button', {
    type: 'button',
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(whitelist.snippets[format] ?? '');
        copy.textContent = 'Copied';
      } catch {
        copy.textContent = 'Select the text to copy';
      }
      setTimeout(() => { copy.textContent = 'Copy'; }, 1500);
    },
  }, 'Copy');
  replace(root,
    h('h2', {}, 'Whitelist the CRM on your relay'),
    h('p', {}, h('strong', {}, labelOf(state.form.choices.dataCenter, whitelist.dataCenter)),
      `: the CRM sends from ${whitelist.ranges.length} ranges: `, h('code', {}, whitelist.ranges.join(', '))),
    whitelist.relays.length ? h('ul', { class: 'whitelist-relays' }, whitelist.relays.map(relayResult)) : null,
    h('div', { class: 'row' },
      h('label', {}, 'Snippet for ', h('select', {
        onchange: (e) => { state.snippetFormat = e.target.value; renderWhitelist(root, report, state); },
      }, formats.map(({ value, label }) => h('option', { value, selected: value === format }, label)))),
      copy),
    code);
}
