// The page: holds the config being edited, sends it to core on every edit (in the worker), and
// renders what core answers. Nothing here decides whether a setup is right, and nothing here
// knows core's choices, defaults or limits: they come from core's `form`, fetched once.
//
// Nothing is lost: a config with content is replaced only after asking; every structural change
// can be undone (history.js, memory only); another tab's save is noticed (the `storage` event)
// and this tab stops saving until the admin says which config wins; a save the browser refuses
// is said, and keeps being said, until one succeeds.
import { callCore, CoreError, startCore } from './core-client.js';
import { renderEditor, foldAtStart, foldsDomains, buildFoldedCards } from './editor/index.js';
import { renderSummary, renderFindings, renderInlineFindings, forgetFields } from './findings.js';
import { renderOutcomes } from './outcomes.js';
import { renderPlan } from './plan.js';
import { renderWhitelist } from './whitelist.js';
import { renderDnsPanel } from './dns-panel.js';
import { setupReportExport } from './report-export.js';
import { setupLiveDns } from './live-dns.js';
import { ask } from './dialog.js';
import { createHistory } from './history.js';
import { shareLink, isShareHash, configTextOf } from './share.js';
import { h, number, plural, replace } from './dom.js';

const STORAGE_KEY = 'relaycheck.config.v1';
// Set beside every config this page saves: what it saves derives from core's normalised config.
// A config without it was kept by an earlier page, which saved imported files as they were.
const NORMALISED_KEY = 'relaycheck.config.v1.normalised';
const elements = {
  status: document.getElementById('status'),
  alerts: document.getElementById('alerts'),
  editor: document.getElementById('editor'),
  summary: document.getElementById('summary'),
  findings: document.getElementById('findings'),
  outcomes: document.getElementById('outcomes'),
  plan: document.getElementById('plan'),
  whitelist: document.getElementById('whitelist'),
  importFile: document.getElementById('import-file'),
  download: document.getElementById('download'),
  loadExample: document.getElementById('load-example'),
  startEmpty: document.getElementById('start-empty'),
  share: document.getElementById('share'),
  undo: document.getElementById('undo'),
  redo: document.getElementById('redo'),
};

const state = {
  config: null,
  /** Passwords typed into the form, by relay pointer: memory only, never saved or sent anywhere. */
  passwords: new Map(),
  report: null,
  /** Core's `form`: the choices with their words, the defaults and the limits. */
  form: null,
  analysisSeq: 0,
  /** The request of the analysis sent last, until its answer arrives; null when none is out. */
  inFlight: null,
  /** An edit came after the analysis in flight was sent: the latest config goes when it answers. */
  stale: false,
  history: createHistory(),
  /** The config as JSON text after the last change: the "before" of the next structural one. */
  lastJson: 'null',
  /** The text this tab last wrote to storage (another tab's write differs from it). */
  written: null,
  /** Why the last save failed (the browser refused it), or null. */
  storageProblem: null,
  /** Another tab saved a different config: its text, until the admin chooses. */
  conflict: null,
  /** The example as JSON text: replacing it loses nothing. */
  exampleJson: null,
  /** Editor state kept across drawings: which domain cards are collapsed. */
  collapsed: new Set(),
  /** How many times the editor was drawn: the findings beside its fields are drawn again after. */
  editorDrawings: 0,
  /** How many drawings of the editor began (one that pauses stops when another began). */
  editorDrawing: 0,
  /** The config the editor shown was drawn for. */
  editorConfig: null,
  /** How many edits were noted: a drawing of the editor that pauses starts again after one. */
  edits: 0,
  /** How many reports show() began to draw: a drawing that yields stops if another began. */
  drawings: 0,
  /** The admin asked for every row of the outcome matrix, of the plan's paths, of its suggested
   *  split (core's form.limits.tableRowsAtFirst draws the first rows of a long one). */
  outcomesAll: false,
  planPathsAll: false,
  planAllocationAll: false,
  /** Where focus goes once the rows asked for are drawn (the button that asked is gone then): the
   *  index of the first new outcome row, the plan's paths, its suggested split. */
  focusOutcomeRow: undefined,
  focusPlanPaths: false,
  focusPlanAllocation: false,
  /** Draws the report shown again: the sections whose inputs changed (a table asked for whole). */
  redrawResults: () => show(state.report).catch(fail),
};

// ---- Status and alerts -------------------------------------------------------------------------

function setStatus(text, kind = 'info') {
  // A refused save is said in every status until a save succeeds: the admin must not read
  // "Analysed: no errors" and believe the edits are kept.
  const unsaved = state.storageProblem ?? (state.conflict ? 'Not saved: another tab changed the config (see below).' : null);
  if (unsaved) {
    text = `${unsaved} ${text}`.trim();
    if (kind !== 'error') kind = 'warning';
  }
  elements.status.textContent = text;
  elements.status.dataset.kind = kind;
  ++statusesSaid;
}

/** How many statuses were said: a drawing that yields does not overwrite one said meanwhile. */
let statusesSaid = 0;

const notices = new Map();
function setNotice(key, element) {
  if (element) notices.set(key, element);
  else notices.delete(key);
  replace(elements.alerts, ...notices.values());
}

function conflictNotice() {
  if (!state.conflict) return null;
  return h('div', { class: 'notice warning', dataset: { notice: 'conflict' } },
    h('p', {}, h('strong', {}, 'This config was changed in another tab. '),
      'This tab no longer saves your changes, so that neither tab overwrites the other without asking.'),
    h('div', { class: 'row' },
      h('button', { type: 'button', onclick: () => loadOtherTab().catch(fail) }, "Load the other tab's config"),
      h('button', { type: 'button', onclick: keepThisTab }, "Keep this tab's config (replaces the other tab's)")));
}

function fail(error) {
  setStatus(error.message, 'error');
}

// ---- Storage ----------------------------------------------------------------------------------

const canonical = (value) => JSON.stringify(value, (_, v) => (v && typeof v === 'object' && !Array.isArray(v)
  ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));

function save() {
  const text = JSON.stringify(state.config);
  state.lastJson = text;
  if (state.conflict) return;  // another tab's config is there: written only once the admin says so
  const hadProblem = state.storageProblem;
  try {
    localStorage.setItem(STORAGE_KEY, text);
    localStorage.setItem(NORMALISED_KEY, '1');
    state.written = text;
    state.storageProblem = null;
    if (hadProblem) setStatus('Saved in this browser again.', 'ok');
  } catch (error) {
    const full = error?.name === 'QuotaExceededError' || error?.code === 22;
    state.storageProblem = full
      ? 'Not saved: the browser\'s storage for this page is full, so your changes will be lost on reload. Download the config to keep them.'
      : 'Not saved: the browser did not let the page keep the config, so your changes will be lost on reload. Download the config to keep them.';
    setStatus('', 'warning');
  }
}

window.addEventListener('storage', (event) => {
  if (event.key !== STORAGE_KEY || event.storageArea !== localStorage) return;
  if (event.newValue === null || event.newValue === state.written || event.newValue === JSON.stringify(state.config)) {
    state.conflict = null;
  } else {
    state.conflict = event.newValue;
  }
  setNotice('conflict', conflictNotice());
  if (state.conflict) setStatus('Your changes here stay in this tab until you choose.');
});

async function loadOtherTab() {
  const text = state.conflict;
  if (!text) return;
  state.conflict = null;
  setNotice('conflict', null);
  await replaceConfig(JSON.parse(text), "Load the other tab's config");
  setStatus("Loaded the other tab's config. Undo brings this tab's back.", 'ok');
}

function keepThisTab() {
  state.conflict = null;
  setNotice('conflict', null);
  save();
  if (!state.storageProblem) setStatus("This tab's config is saved; the other tab will say so.", 'ok');
}

// ---- Editing and history ----------------------------------------------------------------------

/** Draws the editor over state.config, pausing between domains when it takes long; resolves
 *  once it is drawn (or a newer drawing took over). An edit typed into the form shown while the
 *  new one is drawn starts the drawing again, so that the new form shows it; a config that
 *  replaced another is drawn in place of the old form at once (its edits would go to the old
 *  config), domain after domain. */
async function drawEditor() {
  const drawing = ++state.editorDrawing;
  const edits = state.edits;
  const config = state.config;
  const replacing = config !== state.editorConfig;
  const start = performance.now();
  let slice = start;
  let busy = 0;
  const pause = async () => {
    const now = performance.now();
    if (now - slice <= SLICE_MS) return true;
    busy += now - slice;
    await yieldToBrowser();
    slice = performance.now();
    return drawing === state.editorDrawing && edits === state.edits;
  };
  const drawn = await renderEditor(elements.editor, config,
    { onChange, passwords: state.passwords, form: state.form, collapsed: state.collapsed, pause, progressive: replacing, onBuild: cardBuilt });
  if (drawing !== state.editorDrawing) return;  // a newer drawing is under way
  if (!drawn) {
    await drawEditor();  // an edit came: drawn again, with it
    return;
  }
  state.editorConfig = config;
  ++state.editorDrawings;  // the findings that point into the editor point at new elements now
  performance.measure('relaycheck draw editor', { start, duration: busy + performance.now() - slice });
  if (state.report) drawSection('inline', [state.report.findings, state.editorDrawings], () => renderInlineFindings(elements.editor, state.report));
}

/** A domain card drawn folded was opened and built: the findings beside its fields are drawn. */
function cardBuilt() {
  forgetFields(elements.editor);
  if (state.report) renderInlineFindings(elements.editor, state.report).catch(fail);
}

// Printing: a config of at most core's limit of open cards prints every field, its folded cards
// built first; a larger one prints its folded cards as their header lines, with their counts of
// errors and warnings (500 domains in full are 1,500 relays of paper: the report export has them).
window.addEventListener('beforeprint', () => {
  if (!foldsDomains(state.config, state.form)) buildFoldedCards(elements.editor);
});

/** What each section of the results was last drawn from. */
const drawnFrom = new Map();

/** The same inputs: the very objects (core's answers share the parts that did not change, so an
 *  unchanged part is the object drawn before: core-client.js), or arrays of the same. */
const same = (a, b) => a === b || (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i])));

/** Draws a section of the results only when what it is drawn from (`inputs`) differs from last
 *  time (issue 16: an edit redrew every section, 280-340 ms on 30 domains x 3 relays, when most
 *  of them show the same as before; comparing them as JSON text took 0.1-0.3 s on 500 domains). */
function drawSection(key, inputs, draw) {
  if (drawnFrom.has(key) && same(drawnFrom.get(key), inputs)) return;
  drawnFrom.set(key, inputs);
  const start = performance.now();
  draw();
  performance.measure(`relaycheck draw ${key}`, { start });  // for scripts/bench-page
}

function updateHistoryButtons() {
  const undo = state.history.nextUndo();
  const redo = state.history.nextRedo();
  elements.undo.disabled = undo === null;
  elements.redo.disabled = redo === null;
  elements.undo.title = undo === null ? 'Nothing to undo' : `Undo: ${undo} (Ctrl+Z)`;
  elements.redo.title = redo === null ? 'Nothing to redo' : `Redo: ${redo} (Ctrl+Shift+Z)`;
}

/** Called after every edit; `structural` when the form's shape changed, `label` saying what. */
function onChange(structural, label = 'Change the form') {
  noteChange(structural, label);
  scheduleAnalysis();
}

/** Saves an edit and records it for Undo (a structural one redraws the form); sends nothing. */
function noteChange(structural, label = 'Change the form') {
  ++state.edits;
  const before = state.lastJson;
  save();
  if (structural) {
    if (before !== state.lastJson) state.history.record(label, before);
    updateHistoryButtons();
    drawEditor().catch(fail);
  } else if (state.history.nextRedo() !== null) {
    state.history.dropRedo();
    updateHistoryButtons();
  }
}

/** Edits are coalesced, not delayed (issue 16: a fixed 120 ms debounce was most of an edit's
 *  148 ms to paint): with nothing in flight the config goes to core at once; while an analysis
 *  runs, only the latest config is kept, sent when that answer arrives (analyze). */
function scheduleAnalysis() {
  if (state.inFlight) state.stale = true;
  else analyze();
}

/** Replaces the config as one undoable step. */
async function replaceConfig(config, label) {
  state.history.record(label, JSON.stringify(state.config));
  ++state.analysisSeq;  // an analysis still under way is of the config this one replaces
  state.config = config;
  state.passwords.clear();
  foldAtStart(config, state.form, state.collapsed);
  save();
  updateHistoryButtons();
  await drawEditor();
}

function stepHistory(direction) {
  const step = direction === 'undo' ? state.history.undo(state.lastJson) : state.history.redo(state.lastJson);
  if (!step) return;
  ++state.analysisSeq;
  const large = foldsDomains(state.config, state.form);
  state.config = JSON.parse(step.json);
  // Back to a config on the other side of core's limit of open cards: its own folds.
  if (foldsDomains(state.config, state.form) !== large) foldAtStart(state.config, state.form, state.collapsed);
  const hadPasswords = [...state.passwords.values()].some(Boolean);
  state.passwords.clear();  // kept by pointer, and the pointers may have moved
  save();
  updateHistoryButtons();
  drawEditor().catch(fail);
  analyze().then(() => setStatus(`${direction === 'undo' ? 'Undone' : 'Redone'}: ${step.label}.${hadPasswords ? ' Type the passwords again: this tab keeps them only for the form as it was.' : ''}`, 'ok'));
}

/** True when replacing the config loses nothing worth asking about: no domain, or the example. */
function disposable() {
  const domains = state.config?.domains;
  if (!state.config || !Array.isArray(domains) || domains.length === 0) return true;
  return state.exampleJson !== null && canonical(state.config) === state.exampleJson;
}

/** Asks before `what` replaces a config with content; true to go on. */
async function mayReplace(question) {
  if (disposable()) return true;
  return ask({
    question,
    detail: 'Your current config will be replaced. Undo (Ctrl+Z) brings it back while this tab stays open; download it first to keep a copy.',
    yes: 'Replace my config', no: 'Keep my config',
  });
}

document.addEventListener('keydown', (event) => {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
  const key = event.key.toLowerCase();
  if (key !== 'z' && key !== 'y') return;
  // Inside a text field Ctrl+Z undoes the typing, as everywhere else.
  const target = event.target;
  const typing = target instanceof HTMLElement && (target.isContentEditable || target.tagName === 'TEXTAREA' ||
    (target.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit', 'file'].includes(target.type)));
  if (typing || document.querySelector('dialog[open]')) return;
  event.preventDefault();
  stepHistory(key === 'y' || event.shiftKey ? 'redo' : 'undo');
});

// ---- Analysis ---------------------------------------------------------------------------------

/** The names the findings are grouped and folded by: each domain's and each relay's as written. */
const namesOf = (config) => (Array.isArray(config?.domains) ? config.domains : [])
  .map((d) => [d?.name, Array.isArray(d?.relays) ? d.relays.map((r) => r?.host) : null]);

/** Lets the browser paint and take input between two parts of a long drawing. */
const yieldToBrowser = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Resolves once what is drawn now has been painted. */
const painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

/** Drawing longer than this without a pause yields before the next section (issue 16: no task
 *  of the main thread over 200 ms, even for 500 domains). */
const SLICE_MS = 50;

/** Draws core's report, section by section; resolves to false when a newer report took over
 *  before this one was wholly drawn. */
async function show(report) {
  const drawing = ++state.drawings;
  const said = statusesSaid;
  state.report = report;
  const { findings } = report;
  const folds = foldsDomains(report.config, state.form);
  const sections = [
    ['summary', () => [report.summary, report.verdict], () => renderSummary(elements.summary, report)],
    ['findings', () => [findings, namesOf(report.config), state.editorDrawings],
      (pause) => renderFindings(elements.findings, elements.editor, report, state, pause, folds)],
    ['inline', () => [findings, state.editorDrawings], (pause) => renderInlineFindings(elements.editor, report, pause)],
    ['outcomes', () => [report.outcomes, findings, state.outcomesAll], (pause) => renderOutcomes(elements.outcomes, report, state, pause)],
    ['dns', () => [report.dnsPanel, folds], (pause) => renderDnsPanel(document.getElementById('dns-panel'), report, pause, folds)],
    ['plan', () => [report.plan, state.planPathsAll, state.planAllocationAll], (pause) => renderPlan(elements.plan, report, state, pause)],
    ['whitelist', () => [report.whitelist], () => renderWhitelist(elements.whitelist, report, state)],
  ];
  let slice = performance.now();
  let paused = 0;
  /** A pause between two parts of a drawing: at once while the slice is short, else after the
   *  browser had its turn; false when a newer report took over meanwhile. */
  const pause = async () => {
    if (performance.now() - slice <= SLICE_MS) return true;
    const before = performance.now();
    await yieldToBrowser();
    slice = performance.now();
    paused += slice - before;
    return drawing === state.drawings;
  };
  for (const [key, inputs, draw] of sections) {
    if (!(await pause())) return false;
    const from = inputs();
    if (drawnFrom.has(key) && same(drawnFrom.get(key), from)) continue;
    const start = performance.now();
    const pausedBefore = paused;
    // A long section (the findings, the outcome matrix) pauses part way; stopped there, it leaves
    // the section shown as it was, and the next drawing draws it.
    if ((await draw(pause)) === false) return false;
    drawnFrom.set(key, from);
    performance.measure(`relaycheck draw ${key}`, { start, duration: performance.now() - start - (paused - pausedBefore) });
  }
  document.body.dataset.analysed = 'true';
  // Core's verdict, the same sentence the results lead with ("Nothing to check yet" for a config
  // without a domain or relay, never "no errors").
  const verdict = report.verdict ?? { kind: report.hasErrors ? 'errors' : 'ok', text: '' };
  // Unless something else was said while the drawing paused (an import that failed, say).
  if (said === statusesSaid) setStatus(`Analysed. ${verdict.text}`.trim(), { errors: 'error', ok: 'ok' }[verdict.kind] ?? 'info');
  return true;
}

async function analyze() {
  const seq = ++state.analysisSeq;
  state.stale = false;
  const request = callCore('analyze', { config: state.config }, { shared: true });
  state.inFlight = request;
  let report = null;
  let failure = null;
  try {
    report = await request;
  } catch (error) {
    failure = error;
  } finally {
    if (state.inFlight === request) state.inFlight = null;
  }
  // The config changed while core worked: this answer is already old, so it is not drawn, and
  // the latest config goes now (only it: the edits in between were coalesced).
  if (state.stale && state.inFlight === null) return analyze();
  if (seq !== state.analysisSeq) return;  // a newer analysis is on its way
  if (failure) {
    const where = failure instanceof CoreError && failure.path ? ` (at ${failure.path})` : '';
    setStatus(`The config cannot be analysed: ${failure.message}${where}`, 'error');
  } else {
    await show(report);
  }
}

/** Core's first answer, worked out by core as the page was built (wasm/first-answer.mjs): the
 *  form, the example and the example's analysis, here before core in the worker has started (issue
 *  16: the first analysis took 0.9-1.1 s from navigation in a browser new to the page). Null when
 *  it is not there: the page then asks core. */
const firstAnswer = fetch(new URL('../first-answer.json', import.meta.url))
  .then((response) => (response.ok ? response.json() : null))
  .catch(() => null);

/** Core's form and example, asked of core in the worker once, together (the worker answers both
 *  without waiting for the page in between): when the first answer is not there. */
let formAndExample = null;
function askCore() {
  if (formAndExample === null) {
    formAndExample = [callCore('form', {}), callCore('example', {})];
    // A checker that cannot start is reported once, by start() (or by the first analysis).
    for (const request of formAndExample) request.catch(() => {});
  }
  return formAndExample;
}

// A config kept from an earlier visit, or a share link, is analysed by core in the worker before
// anything is drawn: core starts now. Else the example is drawn from the first answer first.
if (configKept() || isShareHash(location.hash)) startCore();

/** True when this browser keeps a config of the page's (storage may be refused: then none). */
function configKept() {
  try {
    return localStorage.getItem(STORAGE_KEY) !== null;
  } catch {
    return false;
  }
}

async function formReady() {
  const first = await firstAnswer;
  state.form ??= first?.form ?? await askCore()[0];
  state.exampleJson ??= canonical((first?.example ?? await askCore()[1]).config);
}

async function loadExample() {
  await formReady();
  if (!(await mayReplace('Load the example over your config?'))) {
    setStatus('The example was not loaded; your config is unchanged.');
    return;
  }
  await replaceConfig((await callCore('example', {})).config, 'Load the example');
  await analyze();
}

/** A config with core's account defaults and no domain, nor DNS records of anyone's. */
async function startEmpty() {
  await formReady();
  if (!(await mayReplace('Start an empty config over your config?'))) {
    setStatus('Nothing was replaced; your config is unchanged.');
    return;
  }
  const empty = { schema: state.form.schema, account: structuredClone(state.form.defaults.account), domains: [] };
  await replaceConfig(empty, 'Start empty');
  await analyze();
}

async function importFile(file) {
  const text = await file.text();
  let report;
  try {
    await formReady();
    // Core reads the text first: a file that cannot be a config leaves the current one untouched.
    // What the page keeps is core's normalised config, never the file: a field the model does not
    // hold (a password, anything unknown) never reaches localStorage. The findings shown are those
    // of the file as imported, which name what was dropped or replaced.
    report = await callCore('analyze', { config: text }, { shared: true });
  } catch (error) {
    setStatus(`${file.name} was not imported: ${error.message}. Your current config is unchanged.`, 'error');
    return;
  }
  if (!(await mayReplace(`Import ${file.name} over your config?`))) {
    setStatus(`${file.name} was not imported; your config is unchanged.`);
    return;
  }
  // A copy: the report is read-only (it shares parts with the next one), the config is edited.
  const copy = structuredClone(report.config);
  await yieldToBrowser();  // the copy of 500 domains is long: the browser's turn before the form
  await replaceConfig(copy, `Import ${file.name}`);
  await yieldToBrowser();  // the form is drawn: a pause before the results (a large config's are long)
  await show(report);
  setStatus(`Imported ${file.name}.`, 'ok');
}

/** Core's normalised form of the config as it is now (never a password), or null after saying why not. */
async function currentNormalised(what) {
  try {
    return await callCore('analyze', { config: state.config }, { shared: true });
  } catch (error) {
    setStatus(`${what}: ${error.message}. Nothing older was used in its place.`, 'error');
    return null;
  }
}

async function download() {
  // Analysed now, not the last report: a config over core's limits has no report of its own,
  // and an older one must not be written in its place.
  const report = await currentNormalised('The config was not downloaded');
  if (!report) return;
  const errors = report.summary.errors;
  if (errors > 0 && !(await ask({
    question: `The config has ${plural(errors, 'error')}. Download it anyway?`,
    yes: 'Download', no: 'Cancel',
  }))) return;
  const blob = new Blob([JSON.stringify(report.config, null, 2) + '\n'], { type: 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = state.form.files.config;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

// ---- Share link -------------------------------------------------------------------------------

async function share() {
  const report = await currentNormalised('No share link was made');
  if (!report) return;
  const link = await shareLink(report.config, location.href.split('#')[0]);
  const field = h('input', { type: 'text', readonly: true, value: link, class: 'share-link', 'aria-label': 'Share link' });
  const copy = h('button', {
    type: 'button',
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(link);
        copy.textContent = 'Copied';
      } catch {
        field.select();
        copy.textContent = 'Press Ctrl+C to copy';
      }
    },
  }, 'Copy');
  setNotice('share', h('div', { class: 'notice share', dataset: { notice: 'share' } },
    h('p', {}, h('strong', {}, 'Share link. '),
      `The config is inside the link itself (${number(link.length)} characters), after the #: opening it sends nothing to any server. Passwords are never in it.`),
    h('div', { class: 'row' }, field, copy,
      h('button', { type: 'button', onclick: () => setNotice('share', null) }, 'Close'))));
  field.select();
}

/** Opens the config of a share link in the address, if any; the fragment is cleared after. */
async function openShared() {
  if (!isShareHash(location.hash)) return false;
  const hash = location.hash;
  history.replaceState(null, '', location.href.split('#')[0]);
  let report;
  try {
    report = await callCore('analyze', { config: await configTextOf(hash) }, { shared: true });
  } catch (error) {
    setStatus(`The share link was not opened: ${error.message}. Your current config is unchanged.`, 'error');
    return false;
  }
  if (!(await mayReplace('Open the shared config over your config?'))) {
    setStatus('The shared config was not opened; your config is unchanged.');
    return false;
  }
  await replaceConfig(structuredClone(report.config), 'Open a share link');  // edited: a copy
  await yieldToBrowser();  // the form is drawn: a pause before the results (a large config's are long)
  await show(report);
  setStatus('Opened the shared config.', 'ok');
  return true;
}

window.addEventListener('hashchange', () => {
  if (state.config && isShareHash(location.hash)) openShared().catch(fail);
});

// ---- Buttons ----------------------------------------------------------------------------------

// Import is a real button, reached by Tab like the others; it opens the hidden file chooser.
document.getElementById('import').addEventListener('click', () => elements.importFile.click());
elements.importFile.addEventListener('change', () => {
  const [file] = elements.importFile.files;
  if (file) importFile(file).catch(fail).finally(() => { elements.importFile.value = ''; });
});
elements.download.addEventListener('click', () => download().catch(fail));
elements.loadExample.addEventListener('click', () => loadExample().catch(fail));
elements.startEmpty.addEventListener('click', () => startEmpty().catch(fail));
elements.share.addEventListener('click', () => share().catch(fail));
setupReportExport(
  { html: document.getElementById('report-html'), markdown: document.getElementById('report-markdown') },
  { config: () => state.config, status: setStatus });
elements.undo.addEventListener('click', () => stepHistory('undo'));
elements.redo.addEventListener('click', () => stepHistory('redo'));

async function start() {
  await formReady();
  let stored;
  try {
    stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
  } catch {
    stored = null;
  }
  if (stored && typeof stored === 'object' && localStorage.getItem(NORMALISED_KEY) === '1') {
    state.config = stored;  // with the admin's edits, invalid values included, as they were left
    state.written = JSON.stringify(stored);
  } else if (stored && typeof stored === 'object') {
    // Kept by an earlier page, which saved an imported file as it was, passwords and all: keep
    // core's normalised form of it, once, and nothing else.
    try {
      state.config = (await callCore('analyze', { config: stored })).config;
      save();
    } catch {
      state.config = null;
    }
  }
  const first = await firstAnswer;
  if (!state.config) {
    state.config = structuredClone((first?.example ?? await askCore()[1]).config);
    save();
  }
  state.lastJson = JSON.stringify(state.config);
  foldAtStart(state.config, state.form, state.collapsed);
  // The example, as it was when the page was built: core's analysis of it is drawn with the
  // editor, and core in the worker is asked for it once that is painted; its answer is drawn over
  // it, in place (the same, unless the page's files are of different builds).
  const fromBuild = first !== null && canonical(state.config) === canonical(first.example.config);
  // Else asked for before the editor is drawn: core analyses while the page draws it.
  let analysed = fromBuild ? null : analyze();
  drawEditor().catch(fail);
  if (fromBuild) {
    await show(first.analysis);
    await painted();
    analysed = analyze();
  }
  setupLiveDns(document.getElementById('live-dns'), {
    form: state.form,
    config: () => state.config,
    // The merged dns as one undoable step; the passwords stay (no relay moved).
    apply: async (config, label) => {
      state.config = config;
      noteChange(true, label);
      await analyze();
    },
  });
  await analysed;
  await openShared();
}

start().catch((error) => setStatus(`The checker could not start: ${error.message}`, 'error'));
