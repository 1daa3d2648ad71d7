/* Huisclos start page: suggests a readable, hard-to-guess meeting name and opens its page. */
import { newKey } from './roomkey.js';

const ADJECTIVES = ['amber', 'brave', 'calm', 'clever', 'cosy', 'crisp', 'dusky', 'eager', 'early',
  'fair', 'gentle', 'golden', 'green', 'happy', 'hidden', 'humble', 'jolly', 'kind', 'lively',
  'lucky', 'mellow', 'misty', 'noble', 'quiet', 'rapid', 'rosy', 'silver', 'sunny', 'swift',
  'tidy', 'warm', 'wise'];
const NOUNS = ['badger', 'beacon', 'birch', 'brook', 'canyon', 'cedar', 'comet', 'coral', 'dune',
  'falcon', 'fern', 'harbor', 'heron', 'island', 'lantern', 'maple', 'meadow', 'otter', 'owl',
  'pebble', 'pine', 'raven', 'reef', 'river', 'robin', 'sparrow', 'spruce', 'summit', 'thistle',
  'tulip', 'valley', 'willow'];
const VERBS = ['dances', 'dreams', 'drifts', 'gathers', 'glows', 'hums', 'jumps', 'listens',
  'meets', 'murmurs', 'paints', 'plays', 'ponders', 'rests', 'roams', 'sails', 'sings', 'sketches',
  'smiles', 'sparkles', 'talks', 'thinks', 'travels', 'waits', 'walks', 'waves', 'whistles',
  'wonders', 'writes', 'yawns', 'builds', 'blooms'];
const VALID = /^[A-Za-z0-9._-]{1,64}$/;

function pick(list) {
  const n = new Uint32Array(1);
  crypto.getRandomValues(n);
  return list[n[0] % list.length];
}

function randomName() {
  const digits = new Uint32Array(1);
  crypto.getRandomValues(digits);
  return [pick(ADJECTIVES), pick(NOUNS), pick(VERBS)].join('-') + '-' + String(digits[0] % 100).padStart(2, '0');
}

const input = document.getElementById('room');
const error = document.getElementById('room-error');
input.value = randomName();
document.getElementById('shuffle').addEventListener('click', () => {
  input.value = randomName();
  error.hidden = true;
  input.focus();
});
document.getElementById('start-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const room = input.value.trim();
  if (!VALID.test(room)) {
    error.textContent = 'A meeting name has 1 to 64 characters: letters, digits, - _ and . only.';
    error.hidden = false;
    input.focus();
    return;
  }
  let fragment = '';
  if (document.getElementById('e2ee').checked) {
    // A fresh room key (docs/e2ee.md), only ever in the fragment.
    fragment = '#key=' + newKey();
  }
  location.assign('/' + encodeURIComponent(room) + fragment);
});
