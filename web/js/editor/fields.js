// The editor's inputs. Every field carries the JSON Pointer of the value it edits, so that core's
// findings can be shown beside it; whatever is typed goes into the config as it is, and core says
// what is wrong with it. Text boxes are left to right (host names, addresses, records), each line
// taking its direction from its own text (style.css: unicode-bidi: plaintext), so that an override
// typed into one cannot mirror anything outside it; core's finding under the field shows the value
// with each hidden character marked (‹U+202E›).
import { h } from '../dom.js';
import { get, join, set } from '../pointer.js';
import { changesFields } from '../choices.js';
import { callCore } from '../core-client.js';
import { extractPasted, pasteReport } from '../paste.js';

const WHOLE = /^-?\d+$/;

/**
 * The builders of one drawing of the editor over `config`. `onChange(structural)` is called after
 * every edit; `structural` is true when the form's shape changed and it must be drawn again (then
 * `label` says what changed, in words for the Undo button).
 */
export function createFields(config, onChange, labels = {}) {
  const edit = (pointer, value, structural = false, label = undefined) => {
    set(config, pointer, value);
    onChange(structural, label);
  };

  const field = (label, pointer, input, hint) =>
    h('div', { class: 'field', dataset: { path: pointer } },
      h('label', {}, h('span', { class: 'label' }, label), input),
      hint ? h('small', { class: 'hint' }, hint) : null);

  // A field labelled in core's words: `pattern` names it in core's table of fields (form.fields),
  // such as /domains/*/relays/*/dailyLimit; the table's hint goes beside it.
  const labelled = (pattern, pointer, input) => {
    const entry = labels[pattern];
    return field(entry?.label ?? pattern, pointer, input, entry?.hint);
  };

  // A group of checkboxes under core's label: a fieldset with a legend, so that the label names
  // the group and clicking it ticks nothing.
  const labelledGroup = (pattern, pointer, input) => {
    const entry = labels[pattern];
    return h('fieldset', { class: 'field group', dataset: { path: pointer } },
      h('legend', { class: 'label' }, entry?.label ?? pattern), input,
      entry?.hint ? h('small', { class: 'hint' }, entry.hint) : null);
  };

  // `input`, whose value decides other fields (a selector names a DKIM key box): the form is
  // drawn again when the admin leaves it, not at every keystroke.
  const redrawnOnChange = (input) => {
    input.addEventListener('change', () => onChange(true));
    return input;
  };

  const text = (pointer, placeholder = '') =>
    h('input', { type: 'text', dir: 'ltr', value: get(config, pointer) ?? '', placeholder, spellcheck: false, oninput: (e) => edit(pointer, e.target.value) });

  // A whole number goes in as a number; anything else as typed, for core to report. An empty box
  // writes `empty`: undefined removes the key, null says "none" (an outage hour).
  const integer = (pointer, placeholder = '', empty = undefined) =>
    h('input', {
      type: 'text', dir: 'ltr', inputmode: 'numeric', value: get(config, pointer) ?? '', placeholder,
      oninput: (e) => {
        const raw = e.target.value.trim();
        edit(pointer, raw === '' ? empty : WHOLE.test(raw) ? Number(raw) : raw);
      },
    });

  // Numbers separated by commas or spaces (hourly weights).
  const numberList = (pointer, placeholder) => {
    const current = get(config, pointer);
    return h('input', {
      type: 'text', dir: 'ltr', spellcheck: false, placeholder, value: Array.isArray(current) ? current.join(', ') : '',
      oninput: (e) => edit(pointer, e.target.value.split(/[\s,]+/).filter(Boolean).map((w) => (WHOLE.test(w) ? Number(w) : w))),
    });
  };

  // `fallback`: the value core reads when the key is absent (from form.defaults); `structural`
  // when the box shows or hides other fields.
  const checkbox = (pointer, fallback, structural = false) =>
    h('input', { type: 'checkbox', checked: get(config, pointer) ?? fallback, onchange: (e) => edit(pointer, e.target.checked, structural) });

  // One of core's choices; a value core does not list stays shown as it is, for core to report.
  const select = (pointer, choices, { convert = (v) => v } = {}) => {
    const current = get(config, pointer);
    const element = h('select', { onchange: (e) => edit(pointer, convert(e.target.value), changesFields(choices)) },
      choices.map(({ value, label }) => h('option', { value, selected: value === current }, label)));
    if (current !== undefined && !choices.some(({ value }) => value === current)) {
      element.prepend(h('option', { value: String(current), selected: true }, String(current)));
    }
    return element;
  };

  // A set of core's choices as checkboxes, kept in core's order (values core does not list last).
  const checkboxes = (pointer, choices) => {
    const current = get(config, pointer);
    const chosen = Array.isArray(current) ? current : [];
    const order = choices.map((c) => c.value);
    return h('div', { class: 'row' }, choices.map(({ value, label }) =>
      h('label', { class: 'check' }, h('input', {
        type: 'checkbox', checked: chosen.includes(value),
        onchange: (e) => {
          const next = chosen.filter((v) => v !== value);
          if (e.target.checked) next.push(value);
          edit(pointer, order.filter((v) => next.includes(v)).concat(next.filter((v) => !order.includes(v))), true);
        },
      }), ` ${label}`)));
  };

  // One entry per line: lists of networks and addresses. The box grows with its content.
  const lines = (pointer, placeholder) => {
    const current = get(config, pointer);
    const box = h('textarea', {
      rows: 3, dir: 'ltr', placeholder, spellcheck: false,
      value: Array.isArray(current) ? current.join('\n') : '',
      oninput: (e) => {
        fit(e.target);
        edit(pointer, e.target.value.split('\n').map((l) => l.trim()).filter(Boolean));
      },
    });
    fit(box);
    return box;
  };

  // The same, where a paste is read by core (cidr.extract): the CRM's help-page list with its
  // bullets, a Postfix mynetworks line, Exim and Sendmail forms become core's entries, and core's
  // sentence says what it cleaned and what it could not read. `addressesOnly` for outbound IPs.
  const pastedLines = (pointer, placeholder, options = {}) => {
    const box = lines(pointer, placeholder);
    const said = h('div', { class: 'paste-result' });
    box.addEventListener('paste', async (e) => {
      const pasted = e.clipboardData?.getData('text/plain') ?? '';
      if (pasted === '') return;
      e.preventDefault();
      const text = box.value.slice(0, box.selectionStart) + pasted + box.value.slice(box.selectionEnd);
      try {
        const result = await extractPasted(callCore, text, options);
        box.value = result.entries.join('\n');
        fit(box);
        said.replaceChildren(pasteReport(result));
        edit(pointer, result.entries);
      } catch (error) {
        said.replaceChildren(h('p', { class: 'paste-report', role: 'status' }, error.message));
      }
    });
    return h('div', { class: 'paste-box' }, box, said);
  };

  // One TXT record of the config's DNS data (owner → entries), pasted as text: the box shows the
  // TXT entry at `owner` whose text matches `which`, and writes it back as one string (core
  // splits nothing: a record over 255 octets is its finding). Other entries at `owner` stay.
  const txtRecord = (owner, which, label, placeholder) => {
    const entries = () => (Array.isArray(config.dns?.[owner]) ? config.dns[owner] : []);
    const textOf = (e) => (Array.isArray(e?.data) ? e.data.join('') : String(e?.data ?? ''));
    const current = entries().find((e) => e?.type === 'TXT' && which.test(textOf(e)));
    const box = h('textarea', {
      rows: 2, dir: 'ltr', placeholder, spellcheck: false, value: current ? textOf(current) : '',
      oninput: (e) => {
        const value = e.target.value.trim();
        const kept = entries().filter((x) => !(x?.type === 'TXT' && which.test(textOf(x))));
        const next = value === '' ? kept : [...kept, { type: 'TXT', data: [value] }];
        if (config.dns === null || typeof config.dns !== 'object' || Array.isArray(config.dns)) config.dns = {};
        if (next.length === 0) delete config.dns[owner];
        else config.dns[owner] = next;
        onChange(false);
      },
    });
    return field(label, join('/dns', owner), box);
  };

  return { config, onChange, edit, field, labelled, labelledGroup, labels, text, integer, numberList, checkbox, select, checkboxes, lines, pastedLines, txtRecord, redrawnOnChange };
}

/** Rows for every line of `box` and one more, from 3 to 30 (then it scrolls). */
function fit(box) {
  box.rows = Math.min(30, Math.max(3, box.value.split('\n').length + 1));
}
