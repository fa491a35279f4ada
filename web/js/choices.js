// Reading the choices of core's `form` method: each is {value, label}, and a choice of the
// config also names the fields that go with it ({value, label, fields: {name: initial value}}).

/** The choice of `list` whose value is `value`, or undefined. */
export function choiceOf(list, value) {
  return list.find((choice) => choice.value === value);
}

/** The admin's words for `value`, or the value itself when core does not list it. */
export function labelOf(list, value) {
  return choiceOf(list, value)?.label ?? String(value ?? '');
}

/** The fields that go with `value` (with `fallback` for a value core does not list). */
export function fieldsOf(list, value, fallback) {
  return (choiceOf(list, value) ?? choiceOf(list, fallback))?.fields ?? {};
}

/** True when choosing among `list` changes which fields the form shows. */
export function changesFields(list) {
  return list.some((choice) => Object.keys(choice.fields ?? {}).length > 0);
}
