// The whitelist panel: the CRM's ranges a relay must admit, each IP-authenticated relay's gaps,
// and ready snippets for the common MTAs. Core computes every list and every snippet, and names
// the formats and data centres (form.choices).
import { h, replace, reveal } from './dom.js';
import { labelOf } from './choices.js';

function relayResult(relay) {
  return h('li', { class: relay.complete ? 'ok' : 'bad' },
    h('strong', {}, relay.host || relay.path), ': ',
    relay.complete
      ? 'admits every CRM range.'
      : ['misses ', h('code', {}, relay.missing.join(', ')), ` (${relay.missingAddresses?.ipv4 ?? '?'} IPv4 addresses).`]);
}

/**
 * The kind of snippet shown: core's (whitelist.snippetKind) unless the admin switched since core
 * last chose; a new choice of core's (say the relay now checks a password) wins again.
 */
function kindOf(whitelist, state) {
  const switched = state.snippetKindSwitch;
  if (switched && switched.coreKind === whitelist.snippetKind && whitelist.snippetsByKind?.[switched.kind]) return switched.kind;
  return whitelist.snippetKind;
}

/** The two kinds as radio buttons, in core's words, core's choice marked. */
function kindChoice(whitelist, state, kind, redraw) {
  const kinds = state.form.choices.snippetKinds;
  if (!kinds || !whitelist.snippetsByKind) return null;
  return h('fieldset', { class: 'snippet-kinds' },
    h('legend', {}, 'What the snippet lets the CRM do'),
    kinds.map(({ value, label, explanation }) => h('label', { class: `kind${value === kind ? ' chosen' : ''}` },
      h('input', {
        type: 'radio', name: 'snippet-kind', value, checked: value === kind,
        onchange: () => { state.snippetKindSwitch = { kind: value, coreKind: whitelist.snippetKind }; redraw(); },
      }),
      h('span', { class: 'kind-text' },
        h('span', {}, h('strong', {}, label),
          value === whitelist.snippetKind ? h('span', { class: 'badge' }, 'fits this config') : null),
        h('span', { class: 'explanation' }, explanation)))));
}

/** The panel as last drawn: what showSnippet draws again. */
let shown = null;

/**
 * Opens the snippet a finding's fix asks for (core's `action`: {kind: 'whitelist', snippetKind,
 * snippetFormat?}): switches the panel to that kind and format, scrolls to it and focuses it.
 */
export function showSnippet(action) {
  if (!shown || action?.kind !== 'whitelist') return;
  const { root, report, state } = shown;
  const whitelist = report.whitelist;
  if (!whitelist?.snippets) return;
  if (action.snippetKind && whitelist.snippetsByKind?.[action.snippetKind]) {
    state.snippetKindSwitch = { kind: action.snippetKind, coreKind: whitelist.snippetKind };
  }
  if (action.snippetFormat && state.form.choices.snippetFormat.some((f) => f.value === action.snippetFormat)) {
    state.snippetFormat = action.snippetFormat;
  }
  renderWhitelist(root, report, state);
  for (let d = root.closest('details'); d; d = d.parentElement?.closest('details')) d.open = true;
  const snippet = root.querySelector('pre.snippet');
  reveal(root, 'start');
  snippet?.classList.add('flash');
  setTimeout(() => snippet?.classList.remove('flash'), 1200);
  root.querySelector('.snippet-kinds input:checked, select')?.focus({ preventScroll: true });
}

export function renderWhitelist(root, report, state) {
  shown = { root, report, state };
  const whitelist = report.whitelist;
  if (!whitelist || !whitelist.snippets) {
    replace(root);
    return;
  }
  const formats = state.form.choices.snippetFormat;
  const format = state.snippetFormat ?? formats[0].value;
  const kind = kindOf(whitelist, state);
  const text = whitelist.snippetsByKind?.[kind]?.[format] ?? whitelist.snippets[format] ?? '';
  // The snippet scrolls sideways: it takes focus so that a keyboard can scroll it too.
  const formatLabel = labelOf(formats, format);
  const code = h('pre', { class: 'snippet', tabindex: '0', role: 'region', 'aria-label': `Snippet for ${formatLabel}` },
    h('code', {}, text));
  const copy = h('button', {
    type: 'button',
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(text);
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
    kindChoice(whitelist, state, kind, () => {
      renderWhitelist(root, report, state);
      root.querySelector('.snippet-kinds input:checked')?.focus();  // the redraw keeps the admin's place
    }),
    h('div', { class: 'row' },
      h('label', {}, 'Snippet for ', h('select', {
        onchange: (e) => { state.snippetFormat = e.target.value; renderWhitelist(root, report, state); },
      }, formats.map(({ value, label }) => h('option', { value, selected: value === format }, label)))),
      copy),
    code);
}
