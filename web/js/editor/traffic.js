// The traffic section: each email type's expected daily volume and its spread over the day.
import { h } from '../dom.js';
import { get, join } from '../pointer.js';
import { fieldsOf } from '../choices.js';

/** The pattern of a forecast's members in core's table of field labels (form.fields). */
const T = '/domains/*/traffic/*';

/** The forecasts of the domain at `base` (…/traffic), one row per email type core lists. */
export function renderTraffic(ui, form, base) {
  const { choices, defaults, limits } = form;
  return h('fieldset', { class: 'traffic', dataset: { path: base } },
    h('legend', {}, form.fields?.['/domains/*/traffic']?.label ?? 'Expected daily volume'),
    choices.emailTypes.map(({ value: type, label }) => {
      const p = join(base, type);
      const profile = get(ui.config, join(p, 'profile'));
      const fields = fieldsOf(choices.profile, profile, defaults.traffic.profile);
      return h('div', { class: 'grid', role: 'group', 'aria-label': label },
        h('strong', { class: 'traffic-type' }, label),
        ui.labelled(`${T}/daily`, join(p, 'daily'), ui.integer(join(p, 'daily'), String(defaults.traffic.daily ?? ''))),
        ui.labelled(`${T}/profile`, join(p, 'profile'), ui.select(join(p, 'profile'), choices.profile)),
        'burstHour' in fields
          ? ui.labelled(`${T}/burstHour`, join(p, 'burstHour'), ui.integer(join(p, 'burstHour'), String(fields.burstHour)))
          : null,
        'weights' in fields
          ? ui.labelled(`${T}/weights`, join(p, 'weights'), ui.numberList(join(p, 'weights'), `${limits.hoursPerDay} whole numbers`))
          : null);
    }));
}
