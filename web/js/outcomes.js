// The authentication matrix: what SPF, DKIM and DMARC make of each message path's mail at the
// receiver, one row per path of core's `outcomes`, each row opening onto core's reasons and the
// path's findings. Core computes every verdict and writes every reason; this only lays them out.
// A verdict's colour comes from its word (a class per result), and the word is always shown.
import { h, KeptParts, moreRows, number, replace, rowsDrawn, sync } from './dom.js';
import { labelOf } from './choices.js';

const SYMBOL = { error: '●', warning: '▲', info: 'i' };
const COLUMNS = ['Domain', 'Email type', 'Route', 'Emails', 'Envelope domain', 'SPF', 'DKIM', 'DMARC', 'Disposition'];

/** A class from a word of core's (pass, softfail, quarantine...): letters only. */
const wordClass = (prefix, word) => `${prefix}-${String(word ?? '').toLowerCase().replace(/[^a-z]/g, '')}`;

/** A path whose mail does not pass DMARC (core's word for it, or its DMARC verdict); a path that
 *  sends nothing (no verdict) is not one. */
const failing = (o) => o.failing ?? (o.dmarc ? o.dmarc.result !== 'pass' : false);

/** Which rows are open, across re-renders: by domain, type, route and relay. */
const keyOf = (o) => `${o.domain}|${o.type}|${o.route}|${o.relay ?? ''}|${o.reason ?? ''}`;

/** A verdict word, with "aligned" when it is, and the assumed mark with its words on hover. */
function verdict(result, { aligned = false, assumed = false, why = '' } = {}) {
  return h('span', { class: `verdict-word ${wordClass('v', result)}`, title: assumed && why ? `Assumed: ${why}` : null },
    result,
    aligned ? h('span', { class: 'aligned' }, ' aligned') : null,
    assumed ? [h('span', { class: 'assumed-mark', 'aria-hidden': 'true' }, '*'), h('span', { class: 'sr' }, ' (assumed)')] : null);
}

function cell(label, ...children) {
  return h('td', { dataset: { label } }, ...children);
}

function dkimCell(signatures) {
  if (!signatures.length) return verdict('none');
  return signatures.map((s, i) => h('span', { class: 'signature' },
    i ? ' ' : null,
    h('span', { class: 'signer-domain' }, s.domain), ' ',
    verdict(s.result, { aligned: s.aligned, assumed: s.assumed, why: s.reason })));
}

function row(outcome, form, open, onToggle, id) {
  const sent = outcome.spf && outcome.dmarc;
  const owners = form.choices.envelopeOwner ?? [];
  const envelope = outcome.envelopeFrom ?? labelOf(owners, outcome.envelopeOwner);
  const toggle = h('button', {
    type: 'button', class: 'expand', 'aria-expanded': String(open), 'aria-controls': id,
    onclick: onToggle,
  }, h('span', { class: 'chevron', 'aria-hidden': 'true' }, '▸'), outcome.domainName || `#${outcome.domain}`,
  h('span', { class: 'sr' }, ' — reasons'));
  return h('tr', { class: `outcome ${outcome.potential ? 'potential' : ''} ${sent ? wordClass('dmarc', outcome.dmarc.result) : 'unsent'}` },
    h('th', { scope: 'row', dataset: { label: COLUMNS[0] } }, toggle),
    cell(COLUMNS[1], labelOf(form.choices.emailTypes, outcome.type)),
    cell(COLUMNS[2], outcome.routeLabel),
    h('td', { class: 'number', dataset: { label: COLUMNS[3] } }, outcome.potential ? h('span', { class: 'muted' }, 'none today') : number(outcome.total)),
    cell(COLUMNS[4], outcome.envelopeFrom ? h('code', {}, envelope) : envelope),
    cell(COLUMNS[5], sent ? verdict(outcome.spf.result, { aligned: outcome.spf.aligned, assumed: outcome.spf.assumed, why: outcome.spf.basis }) : '—'),
    cell(COLUMNS[6], sent ? dkimCell(outcome.dkim) : '—'),
    cell(COLUMNS[7], sent ? verdict(outcome.dmarc.result, { assumed: outcome.dmarc.assumed, why: outcome.dmarc.reason }) : '—'),
    cell(COLUMNS[8], sent ? h('span', { class: `verdict-word ${wordClass('d', outcome.dmarc.disposition)}` }, outcome.dmarc.disposition) : '—'));
}

function spfReasons(spf, outcome) {
  return [
    h('dt', {}, 'SPF ', verdict(spf.result, { aligned: spf.aligned, assumed: spf.assumed })),
    h('dd', {}, spf.basis),
    spf.domain ? h('dd', {}, 'Envelope domain checked: ', h('code', {}, spf.domain)) : null,
    outcome.clientIps.length
      ? h('dd', {}, outcome.clientIpsAssumed ? 'Sending addresses (assumed): ' : 'Sending addresses: ', h('code', {}, outcome.clientIps.join(', ')))
      : null,
    spf.clients.length
      ? h('dd', {}, h('ul', { class: 'clients' }, spf.clients.map((c) => h('li', {}, h('code', {}, c.client), ': ', verdict(c.result)))))
      : null,
    spf.code ? h('dd', {}, 'Error: ', h('code', {}, spf.code)) : null,
    spf.needed.length ? h('dd', {}, 'Decided by DNS records the config does not hold: ', h('code', {}, spf.needed.join(', '))) : null,
  ];
}

function dkimReasons(signatures) {
  if (!signatures.length) return [h('dt', {}, 'DKIM ', verdict('none')), h('dd', {}, 'No signature on this path.')];
  return signatures.flatMap((s) => [
    h('dt', {}, 'DKIM ', h('code', {}, `d=${s.domain}${s.selector ? ` s=${s.selector}` : ''}`), ' ', verdict(s.result, { aligned: s.aligned, assumed: s.assumed })),
    h('dd', {}, s.reason),
  ]);
}

function dmarcReasons(dmarc) {
  const declared = dmarc.declared && dmarc.declared !== dmarc.policy ? `${dmarc.declared}, applied as ` : '';
  const policy = dmarc.policy ? ` (${dmarc.source ?? 'p'}=${declared}${dmarc.policy}${dmarc.pct !== null && dmarc.pct !== undefined ? `, pct=${dmarc.pct}` : ''})` : '';
  return [
    h('dt', {}, 'DMARC ', verdict(dmarc.result, { assumed: dmarc.assumed }), policy,
      ': ', h('span', { class: `verdict-word ${wordClass('d', dmarc.disposition)}` }, dmarc.disposition)),
    h('dd', {}, dmarc.reason),
    dmarc.recordDomain ? h('dd', {}, 'Record: ', h('code', {}, `_dmarc.${dmarc.recordDomain}`)) : null,
  ];
}

function findingsOf(findings) {
  if (!findings.length) return null;
  return h('ul', { class: 'finding-list' }, findings.map((f) => h('li', { class: `finding ${f.severity}` },
    h('span', { class: 'severity', title: f.severity }, SYMBOL[f.severity] ?? '', h('span', { class: 'sr' }, ` ${f.severity}`)),
    h('div', { class: 'body' },
      h('p', { class: 'message' }, f.message),
      f.fix ? h('p', { class: 'fix' }, h('strong', {}, 'Fix: '), f.fix) : null,
      h('p', { class: 'where' }, h('code', {}, f.code))))));
}

/** The reasons row of a path: its cell is filled when the row is first opened (issue 16: the
 *  reasons of 3,072 shut rows were three quarters of a 500-domain page's 490,000 elements). */
function details(outcome, id, open, findings) {
  const cell = h('td', { colspan: String(COLUMNS.length) });
  const reasons = h('tr', { class: 'reasons', id, hidden: !open }, cell);
  reasons.fill = () => {
    if (cell.firstChild) return;
    const sent = outcome.spf && outcome.dmarc;
    cell.append(
      sent
        ? h('dl', {}, spfReasons(outcome.spf, outcome), dkimReasons(outcome.dkim), dmarcReasons(outcome.dmarc))
        : h('p', { class: 'muted' }, outcome.routeLabel),
      findingsOf(findings) ?? '');
  };
  if (open) reasons.fill();
  return reasons;
}

/** A path's findings as objects: core writes each as an index into the report's findings (or,
 *  in an earlier report, as the finding itself). */
function findingsOfPath(outcome, report) {
  return (outcome.findings ?? []).map((f) => (typeof f === 'number' ? report.findings[f] : f)).filter(Boolean);
}

/** The rows last drawn into each root, by what they were drawn from (the path and its findings):
 *  a row whose input is the same is kept as it is, open or shut, and not drawn again. The same is
 *  first the very objects (core's answers share what did not change: core-client.js), else the
 *  same JSON text. */
const drawnRows = new WeakMap();
/** Ids of the reasons rows: one per row drawn, so that a row kept keeps its id. */
let rowIds = 0;

/** What each root's last drawing was made of (dom.js), and the report it was drawn from (the
 *  filter, kept from drawing to drawing, draws the latest). */
const keptParts = new WeakMap();
const latest = new WeakMap();

const sameList = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const inputOf = (outcome, findings) => JSON.stringify([{ ...outcome, findings: null }, findings]);

/** Draws the matrix; `pause` (optional) is awaited between rows, so that a long matrix is drawn
 *  over several tasks: it resolves to false when the drawing is no longer wanted. Resolves to
 *  false when it stopped so, true when drawn. */
export async function renderOutcomes(root, report, state, pause = async () => true) {
  const outcomes = report.outcomes;
  if (!Array.isArray(outcomes) || outcomes.length === 0) {
    drawnRows.delete(root);
    keptParts.delete(root);
    replace(root);
    return true;
  }
  state.openOutcomes ??= new Set();
  const onlyFailing = Boolean(state.outcomesOnlyFailing);
  const shown = outcomes.filter((o) => !onlyFailing || failing(o)).length;
  const before = drawnRows.get(root) ?? new Map();
  const kept = new Map();
  // The rows, in order; put into the table at once at the end, so that the table shown meanwhile
  // keeps its rows while this drawing pauses.
  const lines = [];
  // A long matrix is drawn in part until the admin asks for all of it (core's limit).
  const limit = rowsDrawn(state.form, state.outcomesAll);
  let drawn = 0;
  for (const outcome of outcomes) {
    if (onlyFailing && !failing(outcome)) continue;
    if (drawn === limit) break;
    drawn += 1;
    if (!(await pause())) return false;
    const key = keyOf(outcome);
    const findings = findingsOfPath(outcome, report);
    const old = before.get(key);
    // The path's findings as they read, not their places in the report's list, which move
    // whenever a finding elsewhere comes or goes.
    if (old && ((old.outcome === outcome && sameList(old.findings, findings))
      || (old.input ??= inputOf(old.outcome, old.findings)) === inputOf(outcome, findings))) {
      kept.set(key, { ...old, outcome, findings });
      lines.push(old.line, old.reasons);
      continue;
    }
    const open = state.openOutcomes.has(key);
    const id = `outcome-reasons-${++rowIds}`;
    let reasons;
    const line = row(outcome, state.form, open, (event) => {
      const button = event.currentTarget;
      const nowOpen = button.getAttribute('aria-expanded') !== 'true';
      button.setAttribute('aria-expanded', String(nowOpen));
      if (nowOpen) reasons.fill();
      reasons.hidden = !nowOpen;
      if (nowOpen) state.openOutcomes.add(key);
      else state.openOutcomes.delete(key);
    }, id);
    reasons = details(outcome, id, open, findings);
    kept.set(key, { outcome, findings, line, reasons });
    lines.push(line, reasons);
  }
  drawnRows.set(root, kept);
  latest.set(root, report);
  if (!keptParts.has(root)) keptParts.set(root, new KeptParts());
  const parts = keptParts.get(root);
  parts.begin();
  const assumed = outcomes.some((o) => o.spf?.assumed || o.dmarc?.assumed || o.dkim.some((s) => s.assumed));
  const failingCount = outcomes.filter(failing).length;
  const matrix = parts.node('matrix', [], () => h('div', { class: 'table-scroll', role: 'region', 'aria-labelledby': 'outcomes-title', tabindex: '0' },
    h('table', { class: 'outcome-matrix' },
      h('caption', {}, 'SPF, DKIM and DMARC for each message path'),
      h('thead', {}, h('tr', {}, COLUMNS.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}))));
  if (matrix.hidden !== (onlyFailing && shown === 0)) matrix.hidden = onlyFailing && shown === 0;
  sync(matrix.querySelector('tbody'), lines);
  sync(root,
    parts.node('title', [], () => h('h2', { id: 'outcomes-title' }, 'Authentication outcomes')),
    parts.node('hint', [], () => h('p', { class: 'hint' }, 'What SPF, DKIM and DMARC make of each path\'s mail at the receiving server. Open a row for the reasons.')),
    assumed
      ? parts.node('assumed', [], () => h('p', { class: 'assumed-legend' }, h('span', { class: 'assumed-mark', 'aria-hidden': 'true' }, '*'),
        ' assumed: the config holds no DNS record for it, so the result is what the setup implies (the row says what was assumed).'))
      : null,
    parts.node('filter', [onlyFailing, failingCount, outcomes.length], () => h('label', { class: 'outcome-filter' },
      h('input', {
        type: 'checkbox', name: 'outcomes-only-failing', checked: onlyFailing,
        onchange: (e) => {
          state.outcomesOnlyFailing = e.target.checked;
          renderOutcomes(root, latest.get(root), state).then(() => root.querySelector('input[name="outcomes-only-failing"]')?.focus());
        },
      }),
      `Only the paths that do not pass DMARC (${number(failingCount)} of ${number(outcomes.length)})`)),
    onlyFailing && shown === 0 ? parts.node('none-failing', [], () => h('p', { class: 'empty' }, 'Every path passes DMARC.')) : null,
    matrix,
    shown > drawn
      ? parts.node('more', [drawn, shown], () => moreRows(drawn, shown, 'paths', () => {
        state.outcomesAll = true;
        state.focusOutcomeRow = drawn;
        state.redrawResults();
      }))
      : null);
  // Asked for every row: focus goes to the first one drawn now, whichever drawing draws it.
  if (state.focusOutcomeRow !== undefined && drawn > state.focusOutcomeRow) {
    lines[2 * state.focusOutcomeRow].querySelector('button.expand')?.focus();
    state.focusOutcomeRow = undefined;
  }
  parts.end();
  return true;
}
