// The page: holds the config being edited, sends it to core on every edit (in the worker), and
// renders what core answers. Nothing here decides whether a setup is right, and nothing here
// knows core's choices, defaults or limits: they come from core's `form`, fetched once.
import { callCore, CoreError } from './core-client.js';
import { renderEditor } from './editor/index.js';
import { renderSummary, renderFindings, renderInlineFindings } from './findings.js';
import { renderOutcomes } from './outcomes.js';
import { renderPlan } from './plan.js';
import { renderWhitelist } from './whitelist.js';

const STORAGE_KEY = 'relaycheck.config.v1';
// Set beside every config this page saves: what it saves derives from core's normalised config.
// A config without it was kept by an earlier page, which saved imported files as they were.
const NORMALISED_KEY = 'relaycheck.config.v1.normalised';
const elements = {
  status: document.getElementById('status'),
  editor: document.getElementById('editor'),
  summary: document.getElementById('summary'),
  findings: document.getElementById('findings'),
  outcomes: document.getElementById('outcomes'),
  plan: document.getElementById('plan'),
  whitelist: document.getElementById('whitelist'),
  importFile: document.getElementById('import-file'),
  download: document.getElementById('download'),
  loadExample: document.getElementById('load-example'),
};

const state = {
  config: null,
  /** Passwords typed into the form, by relay pointer: memory only, never saved or sent anywhere. */
  passwords: new Map(),
  report: null,
  /** Core's `form`: the choices with their words, the defaults and the limits. */
  form: null,
  analysisSeq: 0,
  timer: 0,
};

function setStatus(text, kind = 'info') {
  elements.status.textContent = text;
  elements.status.dataset.kind = kind;
}

function save() {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(state.config));
    localStorage.setItem(NORMALISED_KEY, '1');
  } catch {
    setStatus('Your browser did not let the page keep the config; download it to keep your changes.', 'warning');
  }
}

function drawEditor() {
  renderEditor(elements.editor, state.config, { onChange, passwords: state.passwords, form: state.form });
  if (state.report) renderInlineFindings(elements.editor, state.report);
}

function onChange(structural) {
  save();
  if (structural) drawEditor();
  clearTimeout(state.timer);
  state.timer = setTimeout(analyze, 120);
}

function show(report) {
  state.report = report;
  renderSummary(elements.summary, report);
  renderFindings(elements.findings, elements.editor, report);
  renderInlineFindings(elements.editor, report);
  renderOutcomes(elements.outcomes, report, state);
  renderPlan(elements.plan, report, state.form);
  renderWhitelist(elements.whitelist, report, state);
  document.body.dataset.analysed = 'true';
  setStatus(report.hasErrors ? 'Analysed: there are errors to fix.' : 'Analysed: no errors.', report.hasErrors ? 'error' : 'ok');
}

async function analyze() {
  const seq = ++state.analysisSeq;
  try {
    const report = await callCore('analyze', { config: state.config });
    if (seq !== state.analysisSeq) return;  // a newer edit is on its way
    show(report);
  } catch (error) {
    if (seq !== state.analysisSeq) return;
    const where = error instanceof CoreError && error.path ? ` (at ${error.path})` : '';
    setStatus(`The config cannot be analysed: ${error.message}${where}`, 'error');
  }
}

// Core's form, asked for once: nothing is drawn before it is here.
const formRequest = callCore('form', {});
async function formReady() {
  state.form ??= await formRequest;
}

async function loadExample() {
  await formReady();
  state.config = (await callCore('example', {})).config;
  state.passwords.clear();
  save();
  drawEditor();
  await analyze();
}

async function importFile(file) {
  const text = await file.text();
  try {
    await formReady();
    // Core reads the text first: a file that cannot be a config leaves the current one untouched.
    // What the page keeps is core's normalised config, never the file: a field the model does not
    // hold (a password, anything unknown) never reaches localStorage. The findings shown are those
    // of the file as imported, which name what was dropped or replaced.
    const report = await callCore('analyze', { config: text });
    ++state.analysisSeq;  // an analysis still under way is of the config this import replaces
    state.config = report.config;
    state.passwords.clear();
    save();
    drawEditor();
    show(report);
    setStatus(`Imported ${file.name}.`, 'ok');
  } catch (error) {
    setStatus(`${file.name} was not imported: ${error.message}. Your current config is unchanged.`, 'error');
  }
}

function download() {
  if (!state.report) return;
  const errors = state.report.summary.errors;
  if (errors > 0 && !confirm(`The config has ${errors} error(s). Download it anyway?`)) return;
  // Core's normalised form of the config: it never holds a password.
  const blob = new Blob([JSON.stringify(state.report.config, null, 2) + '\n'], { type: 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = 'relay-config.json';
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

elements.importFile.addEventListener('change', () => {
  const [file] = elements.importFile.files;
  if (file) importFile(file).finally(() => { elements.importFile.value = ''; });
});
elements.download.addEventListener('click', download);
elements.loadExample.addEventListener('click', () => loadExample().catch((e) => setStatus(e.message, 'error')));

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
  if (state.config) {
    drawEditor();
    await analyze();
  } else {
    await loadExample();
  }
}

start().catch((error) => setStatus(`The checker could not start: ${error.message}`, 'error'));
