// What the page keeps by JSON Pointer (passwords, folded cards) moves with its item when an item
// before it is removed (web/js/pointer.js removeListItem): removing one domain must not lose the
// passwords typed for the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { removeListItem } from '../../web/js/pointer.js';

test('removing a domain drops its passwords and moves the later ones down', () => {
  const passwords = new Map([
    ['/domains/0/relays/0', 'first'],
    ['/domains/1/relays/0', 'second'],
    ['/domains/1/relays/2', 'second-b'],
    ['/domains/2/relays/1', 'third'],
    ['/domains/10/relays/0', 'eleventh'],
  ]);
  removeListItem(passwords, '/domains', 1);
  assert.deepEqual(Object.fromEntries(passwords), {
    '/domains/0/relays/0': 'first',
    '/domains/1/relays/1': 'third',
    '/domains/9/relays/0': 'eleventh',
  });
});

test('removing a relay moves only that domain\'s later relays, and works on a Set of folds', () => {
  const folded = new Set(['/domains/0', '/domains/0/relays/0', '/domains/0/relays/2', '/domains/1/relays/2']);
  removeListItem(folded, '/domains/0/relays', 1);
  assert.deepEqual([...folded].sort(), ['/domains/0', '/domains/0/relays/0', '/domains/0/relays/1', '/domains/1/relays/2']);
});
