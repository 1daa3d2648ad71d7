/*
 * Huisclos end-to-end encryption, page side (docs/e2ee.md). room.js calls installE2ee() first;
 * media.js calls the hooks of `e2ee` where it builds its peer connection and attaches senders and
 * receivers. The crypto itself runs in /assets/e2ee-worker.js (a classic worker script).
 *
 * The room key comes from the link's fragment (#key=<base64url of 32 bytes>, which browsers never
 * send to a server) or from the "Meeting key" field of the pre-join screen. Without a key nothing
 * here touches the media.
 *
 * A key that is there but damaged (#key= not exactly 43 base64url characters of 32 bytes, e.g. cut
 * off when pasted; or such a text typed into the field) fails closed: the page does not join, not
 * even with autojoin=1, says the key is damaged and offers an explicit "Join without end-to-end
 * encryption" button.
 *
 * Observable state (window.huisclosE2ee, see hooks.js): enabled, damaged (a damaged key stops the
 * join), mode ('script' | 'streams' | null), bypassed (kinds the self-check turned off), stats (the
 * worker's counters: encrypted, decrypted, failed, dropped, epoch, and `why`: counts per outcome
 * such as 'sent video', 'ok audio', 'video auth' (did not authenticate), 'video epoch' (key id out
 * of the window); refreshed every second). RTCRtpScriptTransform is used wherever it exists,
 * createEncodedStreams only where it does not; ?e2ee-mode=streams (or =script) forces one where
 * both exist, for tests.
 */
import { keyParam, newKey, parseKey, readKey, toBase64url } from './roomkey.js';

const query = new URLSearchParams(location.search);
const forced = query.get('e2ee-mode');
// Test knob: attach the track before the answer, as before, to see the self-check act in Chromium 156.
const early = query.get('e2ee-track') === 'early';
const hasScript = 'RTCRtpScriptTransform' in window;
const hasStreams = !!window.RTCRtpSender && 'createEncodedStreams' in RTCRtpSender.prototype;
const mode = forced === 'streams' && hasStreams ? 'streams'
  : hasScript ? 'script' : hasStreams ? 'streams' : null;

/**
 * The hooks room.js and media.js call, and this page's end-to-end encryption state (published as
 * window.huisclosE2ee by hooks.js).
 */
export const e2ee = {
  enabled: false, damaged: false, mode, stats: null, newKey, parseKey,
};
const api = e2ee;

let worker = null;
let keyText = null;
const attached = new WeakSet();

function ensureWorker() {
  if (!worker && mode) {
    worker = new Worker('/assets/e2ee-worker.js');
    worker.onmessage = (e) => { if (e.data.type === 'stats') api.stats = e.data.stats; };
    setInterval(() => worker.postMessage({ type: 'stats' }), 1000);
  }
  return worker;
}

function setKey(key) {
  api.enabled = !!key;
  keyText = key ? toBase64url(key) : null;
  if (key && ensureWorker()) worker.postMessage({ type: 'key', key: key.buffer }, [key.buffer]);
  showBadge();
}

// ---- hooks for media.js and room.js --------------------------------------------------------

/** The RTCPeerConnection configuration, with what the createEncodedStreams fallback needs. */
api.pcConfig = (config) => {
  // Fail closed: with a damaged key, or a key but no way to encrypt, no peer connection.
  if (api.damaged) throw new Error('the meeting key is damaged');
  if (api.enabled && !mode) throw new Error('this browser cannot encrypt end to end (no encoded transforms)');
  return api.enabled && mode === 'streams' ? { ...config, encodedInsertableStreams: true } : config;
};

/** Our participant id (after `joined`): the senders' keys derive from it. */
api.self = (participant) => { if (api.enabled && ensureWorker()) worker.postMessage({ type: 'self', participant }); };

/** The offers' mid -> {participant, kind} map: receivers' keys derive from the sender's id. */
api.tracks = (tracks) => {
  if (!api.enabled || !ensureWorker()) return;
  const map = {};
  for (const [mid, t] of Object.entries(tracks)) map[mid] = t.participant;
  worker.postMessage({ type: 'tracks', tracks: map });
};

/** Someone left: every client moves to the next key epoch. */
api.left = () => { if (api.enabled && ensureWorker()) worker.postMessage({ type: 'epoch' }); };

function attach(target, options) {
  if (!api.enabled || attached.has(target)) return;
  if (!ensureWorker()) return;      // the badge says this browser cannot encrypt
  attached.add(target);
  if (mode === 'script') {
    target.transform = new RTCRtpScriptTransform(worker, options);
  } else {
    const { readable, writable } = target.createEncodedStreams();
    worker.postMessage({ type: 'streams', readable, writable, options }, [readable, writable]);
  }
}

/**
 * One of our senders ('a' audio, 'v' video), on a transceiver setRemoteDescription just made:
 * sets its transform and attaches our track. With the script transform the track is attached
 * only once the answer is set (signalingState 'stable'): in Chromium 156 a video sender whose
 * track was attached before setLocalDescription never passed a frame to its transform and sent
 * around it (docs/e2ee.md); attached after, every frame goes through the transform.
 */
api.sender = (pc, sender, kind, track) => {
  attach(sender, { side: 'send', kind });
  const now = !api.enabled || mode !== 'script' || !track || early || pc.signalingState === 'stable';
  if (now) return sender.replaceTrack(track);
  const later = () => {
    if (pc.signalingState !== 'stable') return;
    pc.removeEventListener('signalingstatechange', later);
    sender.replaceTrack(track).catch(() => {});
  };
  pc.addEventListener('signalingstatechange', later);
  return Promise.resolve();
};

/** A receiver of someone else's track on m-line `mid`. */
api.receiver = (receiver, mid, kind) => attach(receiver, { side: 'receive', kind, mid });

// ---- self-check ---------------------------------------------------------------------------

/**
 * Guards against a browser that accepts a transform but sends around it (Chromium 156 does that
 * for a video sender's RTCRtpScriptTransform whose track was attached before the answer): if the
 * peer connection reports packets sent of a kind our worker never encrypted a frame of, twice in
 * a row, that sender's track is removed and the badge turns red. Sent in clear are at most the
 * first ~2-4 s of that kind, to the server only.
 */
let suspect = {};
async function selfCheck(currentPc) {
  const pc = currentPc();
  if (!api.enabled || !mode || !pc || !api.stats) return;
  const sent = {};
  (await pc.getStats()).forEach((s) => {
    if (s.type === 'outbound-rtp' && s.packetsSent > 0) sent[s.kind] = true;
  });
  for (const kind of ['audio', 'video']) {
    const encrypted = (api.stats.why || {})['sent ' + kind] || 0;
    if (!sent[kind] || encrypted > 0) { suspect[kind] = 0; continue; }
    suspect[kind] = (suspect[kind] || 0) + 1;
    if (suspect[kind] >= 2) {
      for (const t of pc.getTransceivers()) {
        if (t.mid === (kind === 'audio' ? 'a' : 'v') && t.sender.track) t.sender.replaceTrack(null);
      }
      api.bypassed = (api.bypassed || []).concat(kind);
      const badge = document.getElementById('e2ee-badge');
      badge.dataset.e2ee = 'unsupported';
      badge.textContent = 'This browser sent ' + kind + ' around the encryption: your ' + kind + ' is turned off';
    }
  }
}

// ---- UI -----------------------------------------------------------------------------------

function inviteLink() {
  return location.origin + location.pathname + '#key=' + keyText;
}

function showBadge() {
  const bar = document.querySelector('.bar');
  if (!bar) return;
  let badge = document.getElementById('e2ee-badge');
  if (!badge) {
    badge = document.createElement('span');
    badge.id = 'e2ee-badge';
    badge.className = 'e2ee-badge';
    badge.setAttribute('role', 'note');
    bar.appendChild(badge);
  }
  let copy = document.getElementById('e2ee-copy');
  if (api.damaged) {
    badge.dataset.e2ee = 'damaged';
    badge.textContent = 'Meeting key damaged: not joined';
    badge.title = 'The meeting key is incomplete or mistyped; see the message on this page.';
    if (copy) copy.remove();
  } else if (api.enabled && mode) {
    badge.dataset.e2ee = 'on';
    badge.textContent = '\u{1F512} End-to-end encrypted';
    badge.title = 'Only people with this meeting\'s key can see and hear it; the server cannot.';
    if (!copy) {
      copy = document.createElement('button');
      copy.type = 'button';
      copy.id = 'e2ee-copy';
      copy.className = 'secondary e2ee-copy';
      copy.textContent = 'Copy invite link';
      copy.addEventListener('click', async () => {
        try {
          await navigator.clipboard.writeText(inviteLink());
          copy.textContent = 'Link copied';
        } catch (e) {
          window.prompt('Copy this invite link (it contains the meeting key):', inviteLink());
        }
        setTimeout(() => { copy.textContent = 'Copy invite link'; }, 2500);
      });
      bar.appendChild(copy);
    }
  } else if (api.enabled) {
    badge.dataset.e2ee = 'unsupported';
    badge.textContent = 'This browser cannot encrypt end to end: no audio or video is sent or received';
    badge.title = 'This browser has no encoded transforms (RTCRtpScriptTransform); use a current Chrome, Safari or Firefox.';
    if (copy) copy.remove();
  } else {
    badge.dataset.e2ee = 'off';
    badge.textContent = 'Encrypted to the server only';
    badge.title = 'Media is encrypted on the way, but the server could read it. Open a link with a meeting key for end-to-end encryption.';
    if (copy) copy.remove();
  }
}

const DAMAGED_LINK = 'The meeting key in this link is damaged (perhaps cut off when it was copied), so you have not'
  + ' joined. Ask the person who sent you the link to send it again, or paste the whole key below.';
const DAMAGED_TYPED = 'This meeting key is damaged or incomplete: a key has exactly 43 letters, digits, - and _.'
  + ' Paste it again, or ask the person who sent it for the link again.';

/**
 * The pre-join screen's key field, and the notice for a damaged key with its explicit way out
 * ("Join without end-to-end encryption"). The field is read when the join form is submitted
 * (this listener is added by installE2ee, before room.js adds its own, which it stops while the
 * key is damaged).
 */
function keyField(linkValue) {
  const form = document.getElementById('join-form');
  if (!form) return;
  const el = (tag, props) => Object.assign(document.createElement(tag), props);
  const notice = el('div', { id: 'e2ee-damaged', className: 'e2ee-damaged', hidden: true });
  notice.setAttribute('role', 'alert');
  const error = el('p', { id: 'e2ee-key-error', className: 'error', hidden: true });
  const plain = el('button', { type: 'button', id: 'e2ee-join-plain', className: 'secondary',
    textContent: 'Join without end-to-end encryption' });
  notice.append(error, plain);
  const label = el('label', { htmlFor: 'e2ee-key', textContent: 'Meeting key (for end-to-end encryption, optional)' });
  const input = el('input', { id: 'e2ee-key', autocomplete: 'off', spellcheck: false,
    placeholder: 'paste the key or the invite link' });
  input.setAttribute('autocapitalize', 'off');
  if (keyText) input.value = keyText;
  else if (linkValue !== null) input.value = linkValue;
  const title = form.querySelector('h1');
  form.insertBefore(notice, title ? title.nextSibling : form.firstChild);
  const before = form.querySelector('.toggles') || document.getElementById('join-button');
  form.insertBefore(label, before);
  form.insertBefore(input, before);

  const show = (text) => {
    api.damaged = true;
    error.textContent = text;
    error.hidden = notice.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', 'e2ee-key-error');
    showBadge();
  };
  let linkDamaged = api.damaged;
  const hide = () => {
    api.damaged = linkDamaged = false;
    error.hidden = notice.hidden = true;
    input.removeAttribute('aria-invalid');
  };
  if (linkDamaged) show(DAMAGED_LINK);

  plain.addEventListener('click', () => {
    input.value = '';
    hide();
    setKey(null);
    history.replaceState(null, '', location.pathname + location.search);
    form.requestSubmit(document.getElementById('join-button'));
  });
  form.addEventListener('submit', (event) => {
    const read = readKey(input.value);
    // A damaged key in the field, or the link's damaged key removed but not replaced: no join.
    if (read.damaged || (!read.key && linkDamaged)) {
      show(read.damaged && input.value.trim() !== linkValue ? DAMAGED_TYPED : DAMAGED_LINK);
      event.preventDefault();
      event.stopImmediatePropagation();
      input.focus();
      return;
    }
    hide();
    if (!read.key) { if (api.enabled) setKey(null); return; }
    setKey(read.key);
    history.replaceState(null, '', location.pathname + location.search + '#key=' + keyText);
  });
}

/**
 * Reads the link's key, shows the badge and the key field, and starts the self-check of
 * `currentPc()` (the meeting's peer connection, or null). Call once, before the join form gets
 * its own submit listener.
 */
export function installE2ee(currentPc) {
  const fromLink = readKey(location.hash, true);
  api.damaged = !!fromLink.damaged;
  setKey(fromLink.key || null);
  keyField(keyParam(location.hash));
  setInterval(() => { selfCheck(currentPc).catch(() => {}); }, 2000);
}
