/*
 * Huisclos meeting page, the entry module of room.html: the pre-join screen, our camera and
 * microphone, the screens, and the wiring of the client protocol (protocol.js), the peer
 * connection (media.js), the grid (tiles.js), moderation and the lobby (moderation.js) and
 * end-to-end encryption (e2ee.js). Its observable state is published once, as window.huisclos and
 * window.huisclosE2ee (hooks.js).
 *
 * URL: /<room>[?name=<display name>&autojoin=1&region=<region>]  — autojoin skips the pre-join
 * screen and joins at once with camera and microphone (for browser tests and links that should just
 * work; never with a damaged #key=, see e2ee.js); region asks for a media node of that region
 * (HUISCLOS_REGION), e.g. in an invite link for the participants of one site.
 *
 * Display names are never sent anywhere but to the server, and are stored only in localStorage.
 */
import { $, toggleLabel } from './dom.js';
import { e2ee, installE2ee } from './e2ee.js';
import { meeting, publish } from './hooks.js';
import { MediaSession } from './media.js';
import { Moderation } from './moderation.js';
import { BACKOFF_MAX_MS, Signaling, joinRequest, loadSignalingUrls } from './protocol.js';
import { TileGrid } from './tiles.js';
import { ViewReporter } from './view.js';

const NAME_KEY = 'huisclos.displayName';
const hc = meeting;
publish({ huisclos: meeting, huisclosE2ee: e2ee });
// Before the join form's own listener below: a damaged key stops the join (e2ee.js).
installE2ee(() => meeting.pc);

const room = decodeURIComponent(location.pathname.slice(1));
const params = new URLSearchParams(location.search);

let displayName = '';
let local = null;            // MediaStream from getUserMedia, or null without devices
let micOn = true;
let camOn = true;
let token = null;
let mediaFailures = 0;
let roomPassword = '';       // what the user typed in the password prompt, for this page only
let signalingUrls = null;    // promise of the signaling URLs (GET /config), fetched once

// ---- status line and errors ----------------------------------------------------------

function setStatus(text, kind) {
  const status = $('status');
  status.textContent = text || '';
  status.dataset.kind = kind || '';
}

const PLAIN_WORDS = {
  'media-unavailable': 'Could not reach the media server. Please try again in a moment.',
  'bad-name': 'Please use a name of 1 to 64 characters.',
  'bad-room': 'This meeting name is not valid: use 1 to 64 letters, digits, - _ or . only.',
  'unsupported-version': 'This page is out of date. Please reload it.',
  'bad-answer': 'The media server could not set up your connection.',
  'too-large': 'A message to the server was too large.',
  'busy': 'The server is busy checking passwords. Trying again in a moment…',
  'rate-limited': 'The password was changed too often. Please wait a minute and try again.',
  'room-full': 'This meeting is full. Please try again later.',
  'joins': 'Too many attempts to join from your network. Please wait a minute and try again.',
};

function report(message) {
  hc.errors.push({ code: 'client', message });
}

// ---- the parts -------------------------------------------------------------------------

const signaling = new Signaling({
  hello: () => (token ? resumeMessage() : joinMessage()),
  onMessage,
  wanted: () => hc.state === 'joined' || hc.state === 'joining' || hc.state === 'reconnecting',
  onSocket: (ws) => { hc.ws = ws; },
  onReconnecting: () => {
    if (hc.state === 'joined') hc.state = 'reconnecting';
    setStatus('Reconnecting…', 'warning');
  },
  report,
});
const send = (message) => signaling.send(message);

const tiles = new TileGrid($('grid'), {
  selfStream: () => local,
  onSoundBlocked: askForSound,
});

const view = new ViewReporter({ state: hc, tiles, send });

const media = new MediaSession({
  state: hc, e2ee, tiles, send, setStatus, report,
  localTrack: (kind) => (kind === 'audio' ? audioTrack() : videoTrack()),
  onLayout: () => view.soon(),
});

const moderation = new Moderation({
  state: hc, tiles, send, setStatus, showScreen, leave,
  muteMicrophone: () => { micOn = false; send({ type: 'mute', ...applyMute() }); },
  setPassword: (text) => { roomPassword = text; },
  askAgain,
});

// ---- local media ----------------------------------------------------------------------

async function openDevices() {
  const attempts = [{ audio: true, video: true }, { audio: true, video: false }, { audio: false, video: true }];
  for (const constraints of attempts) {
    try {
      return await navigator.mediaDevices.getUserMedia(constraints);
    } catch (e) {
      report('getUserMedia ' + JSON.stringify(constraints) + ': ' + e.name);
    }
  }
  return null;
}

function audioTrack() { return local ? local.getAudioTracks()[0] || null : null; }
function videoTrack() { return local ? local.getVideoTracks()[0] || null : null; }

/** Applies the mic and camera switches to the tracks, the buttons and our tile; what we send. */
function applyMute() {
  if (audioTrack()) audioTrack().enabled = micOn;
  if (videoTrack()) videoTrack().enabled = camOn;
  const audio = micOn && !!audioTrack();
  const video = camOn && !!videoTrack();
  toggleLabel($('pre-mic'), micOn, 'Microphone on', 'Microphone off');
  toggleLabel($('pre-cam'), camOn, 'Camera on', 'Camera off');
  toggleLabel($('mic'), !micOn, 'Unmute microphone', 'Mute microphone');
  toggleLabel($('cam'), !camOn, 'Turn camera on', 'Turn camera off');
  if (hc.state === 'joined' || hc.state === 'reconnecting' || hc.state === 'joining') {
    tiles.update('self', { name: displayName + ' (you)', audio, video });
  }
  return { audio, video };
}

async function startPreview() {
  local = await openDevices();
  const note = $('preview-note');
  if (!local) {
    note.textContent = 'No camera or microphone could be opened. You can still join, see and hear the others.';
    note.hidden = false;
  } else {
    $('preview').srcObject = local;
    if (!videoTrack()) {
      note.textContent = 'No camera: the others will hear you but not see you.';
      note.hidden = false;
    }
  }
  applyMute();
}

function askForSound() {
  setStatus('Click or tap anywhere to turn on sound.', 'warning');
  document.addEventListener('click', () => {
    tiles.playAll();
    setStatus('');
  }, { once: true });
}

// ---- protocol ---------------------------------------------------------------------------

function joinMessage() {
  const { audio, video } = applyMute();
  const extra = {};
  if (roomPassword) extra.password = roomPassword;
  // A member's sign-in token from the portal's invite link (#token=…; a fragment never reaches the server otherwise).
  const signIn = new URLSearchParams(location.hash.slice(1)).get('token');
  if (signIn) extra.token = signIn;
  const region = params.get('region');
  if (region && /^[A-Za-z0-9_.-]{1,32}$/.test(region)) extra.region = region;
  return joinRequest({ room, name: displayName, audio, video }, extra);
}

function resumeMessage() {
  const { audio, video } = applyMute();
  return { type: 'resume', participant: hc.participantId, token, room, name: displayName, audio, video };
}

/** Learns the other signaling instances once; this page's own comes first. */
function loadConfig() {
  if (!signalingUrls) {
    signalingUrls = loadSignalingUrls(report).then((urls) => {
      hc.signalingUrls = urls;
      signaling.urls = urls;
    });
  }
  return signalingUrls;
}

function onMessage(message) {
  switch (message.type) {
    case 'joined':
      hc.participantId = message.participant;
      e2ee.self(message.participant);
      token = message.token;
      entered();
      break;
    case 'resumed':
      if (message.token) token = message.token;   // the one we sent no longer resumes
      entered();
      break;
    case 'pong':
      if (token) token = message.token;             // the same session, a later expiry (none after a leave)
      break;
    case 'participant':
      if (message.participant === hc.participantId) break;
      hc.participants[message.participant] = { name: message.name, audio: message.audio, video: message.video };
      tiles.update(message.participant, hc.participants[message.participant]);
      moderation.decorate(message.participant);
      break;
    case 'left':
      e2ee.left(message.participant);
      delete hc.participants[message.participant];
      media.departedParticipant(message.participant);
      tiles.remove(message.participant);
      break;
    case 'offer':
      media.offer(message);
      break;
    case 'layers': media.layers(message.active); break;   // which of our simulcast layers to encode
    case 'speaker': hc.speaker = message.participant; tiles.speaking(message.participant); break;
    case 'media-moved':
      if (message.token) token = message.token;   // the old token names the node we left
      mediaMoved();
      break;
    case 'error':
      onError(message);
      break;
    default:
      moderation.onMessage(message);   // moderation, password and lobby; ignores what it does not know
  }
}

function entered() {
  hc.state = 'joined';
  hc.waiting = false;
  hc.refused = false;
  signaling.entered();
  setStatus('');
  showScreen('meeting');
}

function onError(error) {
  hc.errors.push({ code: error.code, message: error.message, request: error.request });
  if (moderation.onError(error)) return;
  switch (error.code) {
    case 'resume-failed':
      // The server let us go: start over as a new participant on this socket.
      resetMeeting();
      token = null;
      hc.participantId = null;
      hc.state = 'joining';
      setStatus('Rejoining…', 'warning');
      send(joinMessage());
      break;
    case 'media-failed':
      // The media node closed our endpoint: leave and join again, a few times at most.
      mediaFailures += 1;
      if (mediaFailures > 3) {
        setStatus('The secure media connection keeps failing. Please tell the server admin.', 'error');
        break;
      }
      send({ type: 'leave' });
      resetMeeting();
      hc.state = 'joining';
      setStatus('Reconnecting media…', 'warning');
      send(joinMessage());
      break;
    case 'media-unavailable':
    case 'busy':            // the password pool is full: the join is tried again, as here
      setStatus(PLAIN_WORDS[error.code], 'error');
      if (error.request === 'join') {
        hc.state = 'reconnecting';
        signaling.later(() => { hc.state = 'joining'; send(joinMessage()); }, BACKOFF_MAX_MS);
      }
      break;
    case 'bad-name':
    case 'bad-room':
    case 'unsupported-version':
    case 'room-full':
      backToPrejoin(PLAIN_WORDS[error.code]);
      break;
    case 'rate-limited':
      if (error.request === 'join') backToPrejoin(PLAIN_WORDS.joins);
      else setStatus(PLAIN_WORDS[error.code], 'error');
      break;
    case 'stale-answer':
    case 'already-joined':
      break;            // harmless races, kept in hc.errors only
    default:
      setStatus(PLAIN_WORDS[error.code] || error.message, 'error');
  }
}

// ---- screens, joining and leaving -------------------------------------------------------

function showScreen(which) {
  $('prejoin').hidden = which !== 'prejoin';
  $('meeting').hidden = which !== 'meeting';
  $('left-screen').hidden = which !== 'left';
  $('password-screen').hidden = which !== 'password';
  $('lobby-screen').hidden = which !== 'lobby';
  if (which !== 'left') $('left-reason').hidden = true;
  if (which === 'meeting') applyMute();
}

/**
 * Our media node died or drains: the server moved us to another one, whose offers follow. Drop
 * the old peer connection (its pending offers too) and answer on a fresh one; the local tracks,
 * tiles and roster stay.
 */
function mediaMoved() {
  hc.mediaMoves = (hc.mediaMoves || 0) + 1;
  media.close();
  view.reset();
  setStatus('Reconnecting media…', 'warning');
}

function resetMeeting() {
  media.reset();
  view.reset();
  hc.participants = {};
  tiles.clear();
}

async function join() {
  if (!local) await startPreview();
  hc.state = 'joining';
  signaling.resetBackoff();
  setStatus('Connecting…');
  showScreen('meeting');
  await loadConfig();
  signaling.connect();
}

/** Joins again on the open socket (or a new one) after the password prompt or a refusal. */
function askAgain() {
  hc.state = 'joining';
  setStatus('Connecting…');
  showScreen('meeting');
  if (signaling.isOpen()) send(joinMessage()); else signaling.connect();
}

function leave(message) {
  send({ type: 'leave' });
  hc.state = 'left';
  signaling.stop();
  resetMeeting();
  token = null;
  hc.participantId = null;
  if (local) local.getTracks().forEach((t) => t.stop());   // the camera light goes off
  local = null;
  setStatus(message || '');
}

function backToPrejoin(message) {
  leave(message);
  hc.state = 'prejoin';
  showScreen('prejoin');
  startPreview();
  $('name-error').textContent = message;
  $('name-error').hidden = !message;
}

$('join-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const name = $('display-name').value.trim();
  if (name.length < 1 || name.length > 64) {
    $('name-error').textContent = PLAIN_WORDS['bad-name'];
    $('name-error').hidden = false;
    $('display-name').focus();
    return;
  }
  $('name-error').hidden = true;
  displayName = name;
  try { localStorage.setItem(NAME_KEY, name); } catch (e) { /* private mode: fine */ }
  join();
});
$('pre-mic').addEventListener('click', () => { micOn = !micOn; applyMute(); });
$('pre-cam').addEventListener('click', () => { camOn = !camOn; applyMute(); });
$('mic').addEventListener('click', () => { micOn = !micOn; send({ type: 'mute', ...applyMute() }); });
$('cam').addEventListener('click', () => { camOn = !camOn; send({ type: 'mute', ...applyMute() }); });
$('leave').addEventListener('click', () => { leave(); showScreen('left'); });
$('rejoin').addEventListener('click', () => join());
window.addEventListener('pagehide', () => { if (hc.state === 'joined') send({ type: 'leave' }); });

// ---- start ------------------------------------------------------------------------------

$('room-name').textContent = room;
document.title = room + ' — Huisclos';
let remembered = '';
try { remembered = localStorage.getItem(NAME_KEY) || ''; } catch (e) { /* private mode */ }
$('display-name').value = params.get('name') || remembered;

if (params.get('autojoin') === '1' && (params.get('name') || '').trim() && !e2ee.damaged) {
  displayName = params.get('name').trim().slice(0, 64);
  join();
} else {
  startPreview();
  $('display-name').focus();
}
