// Renders what core found: the summary, the findings grouped by where they are (the account,
// each domain, each of its relays) with their fixes, and each finding again beside the field it
// points at. Core writes every message and fix, and says where each finding is in the admin's
// words (`location`, `locationText`) and which of the page's tools its fix asks for (`action`);
// this page only sorts them into groups, folds a finding core repeats for many relays into one
// line with its count, and filters by severity.
import { h, KeptParts, plural, replace, reveal, sync } from './dom.js';
import { tokens } from './pointer.js';
import { showSnippet } from './whitelist.js';

const SYMBOL = { error: '●', warning: '▲', info: 'i' };
const SEVERITIES = ['error', 'warning', 'info'];
const NOUN = { error: 'error', warning: 'warning', info: 'info' };

const VERDICT_CLASS = { ok: 'ok', errors: 'bad', empty: 'empty' };

/** What each summary's last drawing was made of (dom.js). */
const summaryParts = new WeakMap();

export function renderSummary(root, report) {
  const { errors, warnings, infos } = report.summary;
  const { kind, text } = report.verdict;
  if (!summaryParts.has(root)) summaryParts.set(root, new KeptParts());
  const parts = summaryParts.get(root);
  parts.begin();
  sync(root,
    parts.node('title', [], () => h('h2', {}, 'Findings')),
    parts.node('counts', [errors, warnings, infos], () => h('p', { class: 'counts' },
      h('span', { class: 'chip error' }, `${SYMBOL.error} ${plural(errors, 'error')}`),
      h('span', { class: 'chip warning' }, `${SYMBOL.warning} ${plural(warnings, 'warning')}`),
      h('span', { class: 'chip info' }, `${SYMBOL.info} ${plural(infos, 'info')}`))),
    // Core words the verdict (ok, errors, or empty: nothing to check yet); its kind picks the colour.
    parts.node('verdict', [kind, text], () => h('p', { class: `verdict ${VERDICT_CLASS[kind] ?? 'empty'}` }, text)));
  parts.end();
}

/** The closest field element for a pointer: the field itself or the nearest enclosing one. */
export function fieldFor(editor, pointer, fields = fieldMap(editor)) {
  for (let p = pointer; p !== ''; p = p.slice(0, p.lastIndexOf('/'))) {
    const element = fields.get(p);
    if (element) return element;
  }
  return null;
}

/** The editor's fields by pointer, kept while the editor's drawing is the same (its first child
 *  and count of children): a drawing replaces them all. */
const fieldMaps = new WeakMap();

/** The editor's elements by pointer (the first of each), for many look-ups in one drawing: one
 *  pass over the editor, never a query per finding (issue 16: that was quadratic). */
function fieldMap(editor) {
  const cached = fieldMaps.get(editor);
  if (cached && cached.first === editor.firstElementChild && cached.count === editor.childElementCount) return cached.fields;
  const fields = pathsIn(editor);
  fieldMaps.set(editor, { first: editor.firstElementChild, count: editor.childElementCount, fields });
  return fields;
}

/** The elements under `root` by pointer, the first of each. */
function pathsIn(root) {
  const fields = new Map();
  for (const element of root.querySelectorAll('[data-path]')) if (!fields.has(element.dataset.path)) fields.set(element.dataset.path, element);
  return fields;
}

/** Forgets the editor's fields found before: a domain card drawn folded was built since, inside
 *  the same drawing (editor/domain.js), so its fields are new. */
export function forgetFields(editor) {
  fieldMaps.delete(editor);
}

/** True for a domain card drawn folded and not built yet: its fields are not there. */
const unbuilt = (element) => element.classList.contains('domain') && 'unbuilt' in element.dataset;

/** The group of findings core locates in no particular place (an empty pointer). */
const WHOLE = 'The whole setup';

/** Where a finding is: the domain and relay indexes its pointer names (or null), for grouping. */
function placeOf(path) {
  const t = tokens(path ?? '');
  const index = (i) => (/^\d+$/.test(t[i] ?? '') ? Number(t[i]) : null);
  const domain = t[0] === 'domains' ? index(1) : null;
  const relay = domain !== null && t[2] === 'relays' ? index(3) : null;
  return { domain, relay };
}

/** The domain's name and the relay's host as written, to tell one place's words from another's. */
function namesOf(config, { domain, relay }) {
  const d = domain === null ? null : config?.domains?.[domain];
  const r = relay === null ? null : d?.relays?.[relay];
  return {
    rawDomain: typeof d?.name === 'string' ? d.name : '',
    rawRelay: typeof r?.host === 'string' ? r.host : '',
  };
}

/** A finding's text with the names of its domain and relay taken out: the same words said of
 *  another relay give the same shape. */
function shapeOf(finding, names) {
  const strip = (text) => {
    let out = String(text ?? '');
    for (const name of [names.rawRelay, names.rawDomain].filter((n) => n.length > 0).sort((a, b) => b.length - a.length)) {
      if (out.includes(name)) out = out.replaceAll(name, '\u0000');
    }
    return out;
  };
  return [finding.severity, finding.code, strip(finding.message), strip(finding.fix)].join('\u0001');
}

/** Goes to the field of `pointer`, found at `element` when the list was drawn. A folded card is
 *  opened, which builds it if it was never built; a finding in a card that was not built then
 *  was found at the card, and its field is looked for in the card now. */
function focusField(element, pointer) {
  const folded = element.closest('.domain.collapsed');
  if (folded) folded.querySelector('legend .fold')?.click();
  if (element.matches('.card.domain') && typeof pointer === 'string' && pointer !== element.dataset.path) {
    element = fieldFor(element, pointer, pathsIn(element)) ?? element;
  }
  reveal(element);
  element.querySelector('input, select, textarea')?.focus({ preventScroll: true });
  element.classList.add('flash');
  setTimeout(() => element.classList.remove('flash'), 1200);
}

function locationLink(text, target, pointer) {
  return target
    ? h('button', { type: 'button', class: 'location', title: 'Go to the field', onclick: (e) => { e.stopPropagation(); focusField(target, pointer); } }, text)
    : h('span', { class: 'location' }, text);
}

/** The page's tool that a fix asks for: core's `action`, as a link (the snippet panel). */
function actionLink(action) {
  if (action?.kind !== 'whitelist') return null;
  return [' ', h('button', {
    type: 'button', class: 'action link',
    onclick: (e) => { e.stopPropagation(); showSnippet(action); },
  }, 'Show the whitelist snippet')];
}

function item(entry) {
  const [first] = entry.places;
  const { finding } = first;
  const more = entry.places.length - 1;
  return h('li', {
    class: `finding ${finding.severity}${first.target ? ' goes-to-field' : ''}`,
    dataset: { code: finding.code, count: String(entry.places.length) },
    // A click anywhere on the finding (not on a link, a button or a selection) goes to its field.
    onclick: (e) => {
      if (!first.target || e.target.closest('button, a, summary, .places') || String(getSelection()).length) return;
      focusField(first.target, finding.path);
    },
  },
  h('span', { class: 'severity', title: finding.severity }, SYMBOL[finding.severity] ?? '', h('span', { class: 'sr' }, ` ${finding.severity}`)),
  h('div', { class: 'body' },
    h('p', { class: 'message' }, finding.message,
      more > 0 ? h('span', { class: 'repeat', title: `The same for ${more + 1} places` }, ` ×${entry.places.length}`) : null),
    finding.fix ? h('p', { class: 'fix' }, h('strong', {}, 'Fix: '), finding.fix, actionLink(finding.action)) : null,
    h('p', { class: 'where' }, locationLink(first.locationText, first.target, finding.path), ' ', h('code', { class: 'code' }, finding.code)),
    more > 0 ? placesList(entry.places.slice(1)) : null));
}

/** The other places of a finding core repeats, folded: the list is built when it is first
 *  opened (issue 16: 500 domains repeat findings in 7,500 places, one link each, drawn shut). */
function placesList(places) {
  // Built as the summary is clicked (or pressed), before it opens; opened otherwise, when it has.
  const details = h('details', { class: 'places' }, h('summary', { onclick: () => build() }, `The same for ${plural(places.length, 'other place')}`));
  const build = () => {
    if (!('unbuilt' in details.dataset)) return;
    delete details.dataset.unbuilt;
    details.append(h('ul', {}, places.map((p) => h('li', {}, locationLink(p.locationText, p.target, p.finding.path)))));
  };
  details.dataset.unbuilt = 'true';
  details.addEventListener('toggle', () => { if (details.open) build(); });
  placeBuilders.set(details, build);
  return details;
}

/** The builders of the lists of places not built yet. */
const placeBuilders = new WeakMap();

// Printed, a folded list of places prints open (style.css): it is built first.
window.addEventListener('beforeprint', () => {
  for (const details of document.querySelectorAll('details.places[data-unbuilt]')) placeBuilders.get(details)?.();
});

function countsText(entries) {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
  for (const e of entries) counts[e.places[0].finding.severity] = (counts[e.places[0].finding.severity] ?? 0) + 1;
  return SEVERITIES.filter((s) => counts[s]).map((s) => plural(counts[s], NOUN[s])).join(', ');
}

/** Each finding's field and shape as last worked out, while the finding is the same object (core's
 *  answers share what did not change), the editor's fields the same and its names as they were:
 *  an edit of 500 domains works out only the findings it changed. */
const placed = new WeakMap();

/** The groups of findings: [{key, title, entries}], in config order, repeated shapes folded;
 *  null when `pause` said the drawing is no longer wanted. */
async function groupsOf(report, editor, pause) {
  const fields = fieldMap(editor);
  const places = [];
  for (const [index, finding] of report.findings.entries()) {
    // Where each of 8,500 findings is (500 domains) takes a while: the browser's turn between.
    if (index % 256 === 255 && !(await pause())) return null;
    const place = placeOf(finding.path);
    const names = namesOf(report.config, place);
    let known = placed.get(finding);
    if (!known || known.fields !== fields || known.rawDomain !== names.rawDomain || known.rawRelay !== names.rawRelay) {
      known = { fields, ...names, target: fieldFor(editor, finding.path ?? '', fields), shape: shapeOf(finding, names) };
      placed.set(finding, known);
    }
    const location = Array.isArray(finding.location) ? finding.location : [];
    places.push({ finding, index, place, location, target: known.target, locationText: finding.locationText ?? '', shape: known.shape });
  }
  const byShape = new Map();
  for (const p of places) {
    if (!byShape.has(p.shape)) byShape.set(p.shape, []);
    byShape.get(p.shape).push(p);
  }
  const groups = new Map();
  const groupFor = (key, title, order) => {
    if (!groups.has(key)) groups.set(key, { key, title, order, entries: [] });
    return groups.get(key);
  };
  const seen = new Set();
  for (const p of places) {
    if (seen.has(p.shape)) continue;
    seen.add(p.shape);
    const all = byShape.get(p.shape);
    let group;
    if (all.length > 1 && new Set(all.map((x) => `${x.place.domain}|${x.place.relay}`)).size > 1) {
      group = groupFor('repeated', 'The same finding in several places', [Infinity, 0]);
    } else if (p.place.domain === null) {
      // Outside any domain: core's first words of the location ("Account", "DNS records", ...).
      const top = p.location[0] ?? WHOLE;
      group = groupFor(`top:${top}`, top, [-0.5, top === WHOLE ? 0 : 1]);
    } else if (p.place.relay === null) {
      group = groupFor(`d${p.place.domain}`, p.location[0] ?? '', [p.place.domain, -1]);
    } else {
      group = groupFor(`d${p.place.domain}r${p.place.relay}`, p.location.slice(0, 2).join(' › '), [p.place.domain, p.place.relay]);
    }
    group.entries.push({ places: all.length > 1 && group.key === 'repeated' ? all : [p] });
    // A shape repeated within one place (rare) is listed as often as core says it.
    if (group.key !== 'repeated') for (const extra of all.slice(1)) group.entries.push({ places: [extra] });
  }
  const rank = (e) => SEVERITIES.indexOf(e.places[0].finding.severity);
  return [...groups.values()]
    .sort((a, b) => (a.order[0] === b.order[0] ? 0 : a.order[0] < b.order[0] ? -1 : 1) || a.order[1] - b.order[1])
    .map((g) => ({ ...g, entries: g.entries.map((e, i) => ({ e, i })).sort((x, y) => rank(x.e) - rank(y.e) || x.i - y.i).map(({ e }) => e) }));
}

/** The filter: a box per severity with its count (`counts`, in the order of SEVERITIES). */
function controls(counts, view, redraw) {
  const count = (s) => counts[SEVERITIES.indexOf(s)];
  return h('fieldset', { class: 'finding-filter' },
    h('legend', {}, 'Show'),
    SEVERITIES.map((s) => h('label', { class: `check ${s}` },
      h('input', {
        type: 'checkbox', name: `show-${s}`, checked: view.severities.has(s),
        onchange: (e) => { if (e.target.checked) view.severities.add(s); else view.severities.delete(s); redraw(); },
      }), ` ${plural(count(s), NOUN[s])}`)),
    h('label', { class: 'check codes' },
      h('input', {
        type: 'checkbox', name: 'show-codes', checked: view.showCodes,
        onchange: (e) => { view.showCodes = e.target.checked; redraw(); },
      }), ' Finding codes'));
}

/** The items last drawn into each root, by the first finding each shows: an item whose findings
 *  and fields are the same is kept rather than drawn again. */
const drawnItems = new WeakMap();

/** What each root's last drawing was made of (dom.js) and its groups by key, and the report it
 *  was drawn from, with its folds (the filter, kept from drawing to drawing, draws the latest). */
const keptParts = new WeakMap();
const latest = new WeakMap();

/** The item of `entry`, the one drawn before when it shows the same findings, pointing at the same
 *  fields. Core's answers share what did not change (answer-delta.js): a finding that reads as
 *  before is the very object drawn before, so it is told by identity (issue 16: comparing them
 *  as JSON text took 0.7 s of a 500-domain import). */
function keptItem(entry, before, now) {
  const findings = entry.places.map((p) => p.finding);
  const targets = entry.places.map((p) => p.target);
  const list = before.get(findings[0]);
  const index = list ? list.findIndex((old) => old.findings.length === findings.length
    && old.findings.every((f, i) => f === findings[i]) && old.targets.every((t, i) => t === targets[i])) : -1;
  const kept = index >= 0 ? list.splice(index, 1)[0] : { findings, targets, element: item(entry) };
  if (!now.has(findings[0])) now.set(findings[0], []);
  now.get(findings[0]).push(kept);
  return kept.element;
}

/** Draws the findings; `pause` (optional) is awaited between items, so that thousands are drawn
 *  over several tasks: it resolves to false when the drawing is no longer wanted, and the list
 *  shown then stays as it was. Resolves to false when it stopped so, else true.
 *
 *  The groups are open unless the admin shut them; on a config past core's limit of open cards
 *  (`folds`: form.limits.foldDomainsAbove, as app.js reads it for the editor and the DNS panel)
 *  they start shut, as the domain cards do, each its title and counts, and a group's findings are
 *  drawn when it is first opened (issue 16: the 8,500 findings of 500 domains, drawn open, were
 *  0.2 s of drawing and more of layout at every import). Such a group prints as its title and
 *  counts. */
export async function renderFindings(root, editor, report, state = {}, pause = async () => true, folds = false) {
  state.findingView ??= { severities: new Set(SEVERITIES), closed: new Set(), opened: new Set(), showCodes: false };
  const view = state.findingView;
  latest.set(root, { report, folds });
  const redraw = () => {
    const last = latest.get(root);
    renderFindings(root, editor, last.report, state, undefined, last.folds);
  };
  if (!keptParts.has(root)) keptParts.set(root, { parts: new KeptParts(), groups: new Map(), folds });
  // A config that crossed core's limit of open cards has its groups drawn as that side draws them.
  const kept = keptParts.get(root);
  if (kept.folds !== folds) Object.assign(kept, { groups: new Map(), folds });
  const { parts, groups: groupsBefore } = kept;
  parts.begin();
  if (report.findings.length === 0) {
    sync(root, parts.node('nothing', [], () => h('p', { class: 'empty' }, 'Nothing to report.')));
    parts.end();
    return true;
  }
  root.classList.toggle('show-codes', view.showCodes);
  const before = drawnItems.get(root) ?? new Map();
  const now = new Map();
  const found = await groupsOf(report, editor, pause);
  if (!found) return false;
  const groups = found.map((g) => ({
    ...g, entries: g.entries.filter((e) => view.severities.has(e.places[0].finding.severity)),
  })).filter((g) => g.entries.length > 0);
  const sections = [];
  const groupsNow = new Map();
  for (const g of groups) {
    const group = groupsBefore.get(g.key) ?? groupElement(g.key, view, folds);
    sync(group.title, g.title);
    sync(group.counts, countsText(g.entries));
    if (folds && !group.details.open) {
      // Drawn when opened, against the items of the drawing shown then.
      group.fill = () => {
        const drawn = drawnItems.get(root) ?? new Map();
        sync(group.list, g.entries.map((e) => keptItem(e, drawn, drawn)));
      };
      group.details.dataset.unbuilt = 'true';
      sync(group.list);
    } else {
      const items = [];
      for (const e of g.entries) {
        if (!(await pause())) return false;
        items.push(keptItem(e, before, now));
      }
      group.fill = null;
      delete group.details.dataset.unbuilt;
      sync(group.list, items);
    }
    groupsNow.set(g.key, group);
    sections.push(group.details);
  }
  drawnItems.set(root, now);
  keptParts.get(root).groups = groupsNow;
  const focused = root.contains(document.activeElement) ? document.activeElement.name : null;
  // Core counts them (its summary): not counted again here, three passes over every finding.
  const { errors, warnings, infos } = report.summary;
  const counts = [errors, warnings, infos];
  sync(root,
    parts.node('controls', [...counts, ...SEVERITIES.map((s) => view.severities.has(s)), view.showCodes], () => controls(counts, view, redraw)),
    sections.length ? sections : parts.node('none-shown', [], () => h('p', { class: 'empty' }, 'No finding of the kinds chosen.')));
  parts.end();
  if (focused && !root.contains(document.activeElement)) root.querySelector(`input[name="${focused}"]`)?.focus();
  return true;
}

/** A group of findings as drawn, kept from drawing to drawing under its key, open or shut as the
 *  admin left it (open at first, or shut when the config `folds`): its title, counts and items are
 *  brought up to date in place. A group whose items wait (`fill`) has them drawn as its summary is
 *  clicked or pressed, before it opens, or once it has opened otherwise. */
function groupElement(key, view, folds) {
  const title = h('span', { class: 'group-title' });
  const counts = h('span', { class: 'group-counts' });
  const list = h('ul', { class: 'finding-list' });
  const group = { title, counts, list, fill: null };
  const fill = () => {
    if (!group.fill) return;
    const draw = group.fill;
    group.fill = null;
    delete group.details.dataset.unbuilt;
    draw();
  };
  group.details = h('details', { class: 'finding-group', dataset: { group: key }, open: folds ? view.opened.has(key) : !view.closed.has(key) },
    h('summary', { onclick: fill }, title, counts), list);
  // What the admin chose is kept for the side of the limit it was chosen on: a group drawn open
  // fires a toggle too, which must not count as opening it on the other side.
  const chosen = folds ? view.opened : view.closed;
  group.details.addEventListener('toggle', () => {
    if (group.details.open) fill();
    if (group.details.open === folds) chosen.add(key);
    else chosen.delete(key);
  });
  return group;
}

/** The notes last drawn beside each field of an editor, with what they say: a field whose
 *  findings read the same keeps its notes (issue 16: render only what changed). */
const drawnNotes = new WeakMap();

/** Shows each finding under the field it points at (or the nearest enclosing one). `pause`
 *  (optional) is awaited between fields: false when the drawing is no longer wanted. What is drawn
 *  beside each field is noted as it is drawn, so that a drawing stopped part way leaves nothing
 *  the next one does not know of. Resolves to false when it stopped so, else true.
 *
 *  A domain card not built yet shows nothing beside its fields (they are not there): its header
 *  line says how many errors and warnings it holds, and its notes are drawn when it is built. */
export async function renderInlineFindings(editor, report, pause = async () => true) {
  const fields = fieldMap(editor);
  countPerDomain(editor, report.findings);
  const wanted = new Map();
  for (const finding of report.findings) {
    const target = fieldFor(editor, finding.path ?? '', fields);
    if (!target || unbuilt(target)) continue;
    if (!wanted.has(target)) wanted.set(target, []);
    wanted.get(target).push(finding);
  }
  if (!drawnNotes.has(editor)) drawnNotes.set(editor, new Map());
  const drawn = drawnNotes.get(editor);
  const clear = (target) => {
    for (const note of drawn.get(target)?.notes ?? []) note.remove();
    target.classList.remove('has-error', 'has-warning');
    drawn.delete(target);
  };
  for (const target of [...drawn.keys()]) if (!wanted.has(target)) clear(target);
  for (const [target, findings] of wanted) {
    if (!(await pause())) return false;
    const text = JSON.stringify(findings.map((f) => [f.severity, f.message]));
    const old = drawn.get(target);
    if (old?.text === text && old.notes.every((note) => note.parentNode === target)) continue;
    clear(target);
    const notes = findings.map((finding) => {
      if (finding.severity !== 'info') target.classList.add(`has-${finding.severity}`);
      const note = h('p', { class: `inline-finding ${finding.severity}` }, `${SYMBOL[finding.severity]} ${finding.message}`);
      if (target.tagName === 'FIELDSET') target.querySelector('legend')?.after(note);
      else target.append(note);
      return note;
    });
    drawn.set(target, { text, notes });
  }
  return true;
}

/** What each domain card's header line says of its findings, as last drawn. */
const drawnCounts = new WeakMap();

/** Says on each domain card's header line how many errors and warnings core reports at or under
 *  its pointer (/domains/N...); shown while the card is folded (style.css). */
function countPerDomain(editor, findings) {
  const counts = new Map();
  for (const finding of findings) {
    if (finding.severity !== 'error' && finding.severity !== 'warning') continue;
    const { domain } = placeOf(finding.path);
    if (domain === null) continue;
    if (!counts.has(domain)) counts.set(domain, { error: 0, warning: 0 });
    ++counts.get(domain)[finding.severity];
  }
  for (const card of editor.querySelectorAll(':scope > .card.domain')) {
    const { domain } = placeOf(card.dataset.path);
    const count = counts.get(domain) ?? { error: 0, warning: 0 };
    const text = `${count.error}/${count.warning}`;
    if (drawnCounts.get(card) === text) continue;
    drawnCounts.set(card, text);
    const holder = card.querySelector(':scope > legend > .fold-counts');
    if (!holder) continue;
    replace(holder, ['error', 'warning'].filter((s) => count[s] > 0)
      .map((s) => h('span', { class: `count ${s}` }, `${SYMBOL[s]} ${plural(count[s], NOUN[s])}`)));
  }
}
