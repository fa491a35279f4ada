// The page's one question box: a modal <dialog> built with createElement, so that what it quotes
// (a file name, a domain) stays text. `ask` resolves to true for the first answer, false for the
// second, Escape or a click outside the box.
import { h } from './dom.js';

let dialog;

function build() {
  dialog = h('dialog', { class: 'ask', 'aria-labelledby': 'ask-question' },
    h('form', { method: 'dialog' },
      h('p', { id: 'ask-question', class: 'question' }),
      h('p', { class: 'detail' }),
      h('div', { class: 'row buttons' },
        h('button', { type: 'submit', value: 'yes', class: 'primary' }),
        h('button', { type: 'submit', value: 'no' }))));
  // A click on the backdrop lands on the dialog itself (the form fills the box): "no".
  dialog.addEventListener('click', (event) => { if (event.target === dialog) dialog.close('no'); });
  document.body.append(dialog);
}

/** Asks `question` (with `detail` under it); `yes` and `no` are the words of the two buttons. */
export function ask({ question, detail = '', yes = 'Yes', no = 'Cancel' }) {
  if (!dialog) build();
  if (dialog.open) dialog.close('no');
  dialog.querySelector('.question').textContent = question;
  dialog.querySelector('.detail').textContent = detail;
  dialog.querySelector('.detail').hidden = !detail;
  const [yesButton, noButton] = dialog.querySelectorAll('button');
  yesButton.textContent = yes;
  noButton.textContent = no;
  dialog.returnValue = 'no';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'yes'), { once: true });
    dialog.showModal();
    yesButton.focus();
  });
}
