// The day plan: where each hour's mail goes (through a relay, through the CRM's servers, or not
// sent today), drawn as stacked bars, with the message paths and each relay's day beside it.
// Core computes every number, and names every route and reason (form.choices.route and
// .routeReason); this only draws them.
import { h, KeptParts, moreRows, number, replace, rowsDrawn, svg, sync } from './dom.js';
import { labelOf } from './choices.js';

/** The routes as series: plan.hours and plan.totals hold each route under its camelCase name. */
function seriesOf(form) {
  return form.choices.route.map(({ value, label }) => ({
    key: value.replace(/-([a-z])/g, (_, c) => c.toUpperCase()), label, className: value,
  }));
}

const hourLabel = (hour) => `${String(hour).padStart(2, '0')}:00`;

function chart(plan, series) {
  const width = 640, height = 220, left = 46, bottom = 24, top = 8;
  const barWidth = (width - left) / 24;
  const max = Math.max(1, ...plan.hours.map((x) => series.reduce((sum, route) => sum + x[route.key], 0)));
  const scale = (height - bottom - top) / max;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'timeline', 'aria-label': 'Emails per hour by route' });
  for (const fraction of [0, 0.5, 1]) {
    const y = height - bottom - fraction * max * scale;
    root.append(svg('line', { x1: left, x2: width, y1: y, y2: y, class: 'grid-line' }),
      svg('text', { x: left - 6, y: y + 4, class: 'axis', 'text-anchor': 'end' }, number(Math.round(fraction * max))));
  }
  for (const hour of plan.hours) {
    let y = height - bottom;
    const x = left + hour.hour * barWidth;
    for (const route of series) {
      const value = hour[route.key];
      if (!value) continue;
      const barHeight = Math.max(1, value * scale);
      y -= barHeight;
      root.append(svg('rect', { x: x + 1, y, width: barWidth - 2, height: barHeight, class: `bar ${route.className}` },
        svg('title', {}, `${hourLabel(hour.hour)}: ${number(value)} ${route.label}`)));
    }
    if (hour.hour % 3 === 0) root.append(svg('text', { x: x + barWidth / 2, y: height - 6, class: 'axis', 'text-anchor': 'middle' }, hourLabel(hour.hour)));
  }
  return root;
}

function legend(plan, series) {
  return h('p', { class: 'legend' }, series.map((s) =>
    h('span', { class: 'key' }, h('span', { class: `swatch ${s.className}` }), `${s.label}: ${number(plan.totals?.[s.key] ?? 0)}`)));
}

/** A table that scrolls sideways inside its own box on a narrow screen, reachable by keyboard. */
function scrolling(label, table) {
  return h('div', { class: 'table-scroll', role: 'region', tabindex: '0', 'aria-label': label }, table);
}

/** The row drawn for each path, by the path itself: core's answers share the parts that did not
 *  change (core-client.js), so a path that reads as before is the same object, and keeps its row. */
const rowOf = new WeakMap();

function pathRow(p, form) {
  return h('tr', { class: `route-${p.route}` },
    h('td', {}, p.domainName ?? `#${p.domain}`),
    h('td', {}, labelOf(form.choices.emailTypes, p.type)),
    h('td', {}, labelOf(form.choices.route, p.route)),
    h('td', {}, p.host ?? ''),
    h('td', {}, p.reason ? labelOf(form.choices.routeReason, p.reason) : ''),
    h('td', { class: 'number' }, number(p.total)));
}

/** The rows of the first `limit` paths, one per path: null when `pause` said the drawing is no
 *  longer wanted. */
async function pathRows(plan, form, limit, pause) {
  const rows = [];
  const used = new Set();
  for (const p of plan.paths.slice(0, limit)) {
    if (!(await pause())) return null;
    let row = rowOf.get(p);
    if (!row || used.has(row)) {
      row = pathRow(p, form);
      if (!rowOf.has(p)) rowOf.set(p, row);
    }
    used.add(row);
    rows.push(row);
  }
  return rows;
}

/** The table of the paths, without its rows (kept from one drawing to the next). */
function pathsTable() {
  return scrolling('Message paths of the day', h('table', { class: 'paths' },
    h('caption', {}, 'Message paths of the day'),
    h('thead', {}, h('tr', {}, ['Domain', 'Type', 'Route', 'Relay', 'Why', 'Emails'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {})));
}

/** The suggested split: one row for each of the first `limit` relays (1,500 for 500 domains x 3
 *  relays, most of a large plan's elements), then the line that draws the rest (`showAll`). */
function allocation(plan, limit, showAll) {
  const a = plan.allocation;
  if (!a || !a.relays?.length) return null;
  const relays = a.relays.slice(0, limit);
  return h('div', { class: 'allocation' },
    h('h3', {}, 'Suggested split of the edition limit'),
    h('p', {}, `Relays carry ${number(a.relayedNow)} emails with today's limits and ${number(a.relayedSuggested)} with the suggested ones; ${number(a.unassigned)} of the edition's ${number(a.editionDailyLimit)} stay with the CRM's servers.`),
    scrolling('Suggested split of the edition limit', h('table', {},
      h('thead', {}, h('tr', {}, ['Relay', 'Limit now', 'Carries now', 'Suggested limit', 'Would carry'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, relays.map((r) => h('tr', {},
        h('td', {}, r.host || `#${r.relay}`), h('td', { class: 'number' }, number(r.current)), h('td', { class: 'number' }, number(r.carriesNow)),
        h('td', { class: 'number' }, number(r.suggested)), h('td', { class: 'number' }, number(r.carriesSuggested))))))),
    a.relays.length > relays.length ? moreRows(relays.length, a.relays.length, 'relays', showAll) : null);
}

/** What each root's last drawing was made of (dom.js). */
const keptParts = new WeakMap();

/** Draws the day plan; `pause` (optional) is awaited between the rows of the paths (thousands for
 *  500 domains): false when the drawing is no longer wanted, and the plan shown stays as it was.
 *  Resolves to false when it stopped so, else true. The parts that read as before stay in place.
 *  `state` holds core's form, whether the admin asked for all the paths (`planPathsAll`) and all
 *  the relays of the suggested split (`planAllocationAll`), and `redrawResults()`, which draws the
 *  results again. */
export async function renderPlan(root, report, state, pause = async () => true) {
  const { form } = state;
  const plan = report.plan;
  if (!keptParts.has(root)) keptParts.set(root, new KeptParts());
  const parts = keptParts.get(root);
  parts.begin();
  if (!plan || !Array.isArray(plan.hours)) {
    parts.end();
    replace(root);
    return true;
  }
  const limit = rowsDrawn(form, state.planPathsAll);
  const allocationLimit = rowsDrawn(form, state.planAllocationAll);
  const rows = plan.paths.length ? await pathRows(plan, form, limit, pause) : [];
  if (!rows) return false;
  const more = plan.paths.length > rows.length
    ? parts.node('more', [rows.length, plan.paths.length], () => moreRows(rows.length, plan.paths.length, 'message paths', () => {
      state.planPathsAll = true;
      state.focusPlanPaths = true;
      state.redrawResults();
    }))
    : null;
  const paths = plan.paths.length ? parts.node('paths', [], pathsTable) : null;
  if (paths) sync(paths.querySelector('tbody'), rows);
  sync(root,
    parts.node('title', [], () => h('h2', {}, 'Day plan')),
    parts.node('hint', [plan.timeZone, plan.editionDailyLimit], () => h('p', { class: 'hint' },
      `Hours in ${plan.timeZone || 'the account time zone'}; edition limit ${number(plan.editionDailyLimit)} a day.`)),
    parts.node('chart', [plan.hours, form], () => chart(plan, seriesOf(form))),
    parts.node('legend', [plan.totals, form], () => legend(plan, seriesOf(form))),
    paths ?? parts.node('no-paths', [], () => h('p', { class: 'empty' }, 'No traffic forecast: enter the expected daily volumes to see the plan.')),
    more,
    parts.node('allocation', [plan.allocation, allocationLimit], () => allocation(plan, allocationLimit, () => {
      state.planAllocationAll = true;
      state.focusPlanAllocation = true;
      state.redrawResults();
    })));
  parts.end();
  // Asked for every row: focus goes to their table (its rows take no focus), as the button is gone.
  if (state.focusPlanPaths && !more) {
    paths?.focus();
    state.focusPlanPaths = false;
  }
  if (state.focusPlanAllocation) {
    root.querySelector('.allocation .table-scroll')?.focus();
    state.focusPlanAllocation = false;
  }
  return true;
}
