// The traffic section: each email type's expected daily volume and its spread over the day.
import { h } from '../dom.js';
import { get, join } from '../pointer.js';
import { fieldsOf } from '../choices.js';

/** The forecasts of the domain at `base` (…/traffic), one row per email type core lists. */
export function renderTraffic(ui, form, base) {
  const { choices, defaults, limits } = form;
  return h('fieldset', { class: 'traffic', dataset: { path: base } },
    h('legend', {}, 'Expected daily volume'),
    choices.emailTypes.map(({ value: type, label }) => {
      const p = join(base, type);
      const profile = get(ui.config, join(p, 'profile'));
      const fields = fieldsOf(choices.profile, profile, defaults.traffic.profile);
      return h('div', { class: 'grid' },
        ui.field(`${label} a day`, join(p, 'daily'), ui.integer(join(p, 'daily'), String(defaults.traffic.daily ?? ''))),
        ui.field('spread', join(p, 'profile'), ui.select(join(p, 'profile'), choices.profile)),
        'burstHour' in fields
          ? ui.field('burst at hour', join(p, 'burstHour'), ui.integer(join(p, 'burstHour'), String(fields.burstHour)))
          : null,
        'weights' in fields
          ? ui.field(`${limits.hoursPerDay} hourly weights, from 00:00`, join(p, 'weights'), ui.numberList(join(p, 'weights'), 'whole numbers, separated by commas'))
          : null);
    }));
}
