// The day plan: where each hour's mail goes (relay, the CRM's servers, not sent today), drawn as
// stacked bars. Core computes the plan; this only draws it.
import { h, replace } from './dom.js';

export function renderPlan(root, report) {
  if (!report.plan) {
    replace(root);
    return;
  }
  replace(root, h('h2', {}, 'Day plan'), h('p', {}, 'The plan is computed; its chart is on its way.'));
}
