/*
 * Huisclos end-to-end encryption worker (docs/e2ee.md): encrypts every encoded frame we send and
 * decrypts every frame we receive, with AES-256-GCM, SFrame-like:
 *
 *   frame on the wire = clear codec bytes ‖ header ‖ AES-GCM(rest of the frame) incl. 16-byte tag
 *                       (VP8: the frame tag's first-partition size reads 0x7FFFF on the wire, its
 *                       real first 3 bytes lead the encrypted part)
 *   header            = key id (1 byte: epoch mod 256) ‖ sender id (8 bytes, random per page)
 *                       ‖ counter (4 bytes, big-endian)
 *   clear bytes       = VP8: 10 of a key frame, 3 of a delta frame; Opus: 1 (the TOC byte)
 *   IV                = per-sender salt XOR (sender id ‖ counter)
 *   AAD               = clear bytes ‖ header
 *
 * The sender id is this page's own random choice, so (key, IV) never repeats even if a server gave
 * two pages the same participant id (the keys derive from it). Receivers keep, per participant,
 * kind and sender id, a window of the counters they accepted: a frame replayed by the server is
 * dropped ("replay"), as is one older than the window ("old").
 *
 * Keys: for each (participant, kind, epoch), HKDF-SHA-256 over the room key with
 * salt "huisclos-e2ee/v1/epoch/<epoch>" gives a 32-byte AES key (info "key|<participant>|<kind>")
 * and a 12-byte salt (info "salt|<participant>|<kind>"). Receivers derive the sender's key from
 * the same inputs; the page tells us which participant each receiving mid carries.
 *
 * Both RTCRtpScriptTransform (rtctransform events) and Chrome's older createEncodedStreams
 * (streams posted by the page) end in the same pipe here.
 */
'use strict';

const VP8_CLEAR_KEY = 10;
const VP8_CLEAR_DELTA = 3;
const OPUS_CLEAR = 1;
const SENDER_ID = 8;
const HEADER = 1 + SENDER_ID + 4;
const TAG = 16;
const PREVIOUS_EPOCH_MS = 5000;   // how long frames of the previous epoch are still accepted
const WINDOW = 1024;              // counters behind the newest accepted one that may still come (~12 s of a page's frames)
const MAX_WINDOWS = 256;          // replay windows kept (one per participant, kind and sender id)

let roomKey = null;               // CryptoKey (HKDF) or null
let ownId = null;                 // our participant id
let epoch = 0;                    // 0..255: max(lefts, adopted) mod 256, the key id we send
let lefts = 0;                    // departures (`left`) this page heard of
let adopted = 0;                  // the newest epoch seen in an authentic frame (unbounded)
let full = 0;                     // max(lefts, adopted), unbounded
let previousUntil = 0;            // previous epoch accepted until this time (ms)
const midToParticipant = new Map();
const keys = new Map();           // "epoch|participant|kind" -> Promise<{key, salt}>
let counter = 0;                  // one counter for all our senders of this page: never reused
const senderId = crypto.getRandomValues(new Uint8Array(SENDER_ID));
const windows = new Map();        // "participant|kind|sender id" -> {top, seen: Uint32Array(WINDOW / 32)}
const stats = { encrypted: 0, decrypted: 0, failed: 0, dropped: 0, epoch: 0, why: {} };
const fail = (why) => { stats.failed++; stats.why[why] = (stats.why[why] || 0) + 1; };
const enc = new TextEncoder();

function derive(participant, kind, e) {
  const id = e + '|' + participant + '|' + kind;
  let p = keys.get(id);
  if (!p) {
    const salt = enc.encode('huisclos-e2ee/v1/epoch/' + e);
    const hkdf = (info, bits) => crypto.subtle.deriveBits(
      { name: 'HKDF', hash: 'SHA-256', salt, info: enc.encode(info + '|' + participant + '|' + kind) }, roomKey, bits);
    p = Promise.all([hkdf('key', 256), hkdf('salt', 96)]).then(async ([k, s]) => ({
      key: await crypto.subtle.importKey('raw', k, 'AES-GCM', false, ['encrypt', 'decrypt']),
      salt: new Uint8Array(s),
    }));
    keys.set(id, p);
  }
  return p;
}

/** The IV: the sender's salt XOR (sender id ‖ counter), the last two from the frame's header. */
function iv(salt, header) {
  const out = new Uint8Array(salt);
  for (let i = 0; i < SENDER_ID + 4; i++) out[i] ^= header[1 + i];
  return out;
}

/**
 * The window of an authentic frame's sender, made on its first frame; the least recently used one
 * goes when there are too many. Only authentic frames reach here, so forged sender ids cannot
 * push real windows out.
 */
function windowOf(id) {
  let w = windows.get(id);
  if (w) {
    windows.delete(id);
  } else {
    if (windows.size >= MAX_WINDOWS) windows.delete(windows.keys().next().value);
    w = { top: -1, seen: new Uint32Array(WINDOW / 32) };
  }
  windows.set(id, w);
  return w;
}

/** Why a counter cannot be accepted from this window ('replay', 'old'), or null when it can. */
function refused(w, ctr) {
  if (!w || w.top < 0 || ctr > w.top) return null;
  if (w.top - ctr >= WINDOW) return 'old';
  const bit = ctr % WINDOW;
  return (w.seen[bit >>> 5] & (1 << (bit & 31))) !== 0 ? 'replay' : null;
}

/** Marks an authentic frame's counter: the window moves on when it is the newest. */
function accept(w, ctr) {
  if (ctr > w.top) {
    if (w.top < 0 || ctr - w.top >= WINDOW) {
      w.seen.fill(0);
    } else {
      for (let c = w.top + 1; c < ctr; c++) w.seen[(c % WINDOW) >>> 5] &= ~(1 << ((c % WINDOW) & 31));
    }
    w.top = ctr;
  }
  const bit = ctr % WINDOW;
  w.seen[bit >>> 5] |= 1 << (bit & 31);
}

function clearBytes(kind, frame) {
  if (kind === 'audio') return OPUS_CLEAR;
  return frame.type === 'key' ? VP8_CLEAR_KEY : VP8_CLEAR_DELTA;
}

/** VP8 and Opus only: another codec's frame is dropped rather than sent or passed unreadable. */
function supportedCodec(kind, frame) {
  let mime = null;
  try { mime = frame.getMetadata().mimeType || null; } catch (e) { /* older browsers */ }
  if (!mime) return true;
  mime = mime.toLowerCase();
  return kind === 'audio' ? mime === 'audio/opus' : mime === 'video/vp8';
}

async function encrypt(kind, frame, controller) {
  if (!roomKey || !ownId || !supportedCodec(kind, frame)) { stats.dropped++; stats.why['send ' + kind] = (stats.why['send ' + kind] || 0) + 1; return; }
  const data = new Uint8Array(frame.data);
  if (data.length === 0) { controller.enqueue(frame); return; }
  const n = Math.min(clearBytes(kind, frame), data.length);
  const ctr = counter >>> 0;
  counter += 1;
  if (counter > 0xffffffff) { stats.dropped++; return; }   // would reuse an IV: stop (years of media)
  const e = epoch;
  const { key, salt } = await derive(ownId, kind, e);
  const head = new Uint8Array(n + HEADER);
  head.set(data.subarray(0, n));
  let body = data.subarray(n);
  if (kind === 'video' && n >= 3) {
    // VP8: the 19-bit first-partition size of the frame tag goes inside the ciphertext; on the wire
    // it reads 0x7FFFF, more than the frame holds, so a decoder without the key rejects the frame
    // instead of decoding noise. The P (key frame) bit, version and show_frame stay as they were.
    head[0] = (data[0] & 0x1f) | 0xe0;
    head[1] = 0xff;
    head[2] = 0xff;
    body = new Uint8Array(3 + data.length - n);
    body.set(data.subarray(0, 3));
    body.set(data.subarray(n), 3);
  }
  head[n] = e;
  head.set(senderId, n + 1);
  new DataView(head.buffer).setUint32(n + 1 + SENDER_ID, ctr);
  const sealed = new Uint8Array(await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: iv(salt, head.subarray(n)), additionalData: head, tagLength: 128 }, key, body));
  const out = new Uint8Array(head.length + sealed.length);
  out.set(head);
  out.set(sealed, head.length);
  frame.data = out.buffer;
  stats.encrypted++;
  stats.why['sent ' + kind] = (stats.why['sent ' + kind] || 0) + 1;
  controller.enqueue(frame);
}

/**
 * Whether a key id is worth trying: the current epoch, the previous one (briefly, for frames in
 * flight), or a newer one (someone counted more departures than we did, e.g. we joined late).
 */
function acceptable(kid) {
  const d = (kid - epoch) & 0xff;
  if (d === 0xff) return Date.now() < previousUntil;
  return d < 128;
}

/**
 * Our epoch is the larger of the departures we heard of and the newest epoch others use: a peer
 * that counted the same departure first does not make us count it twice, and a late joiner
 * catches up with the room from the first authentic frame of the current epoch.
 */
function updateEpoch() {
  const next = Math.max(lefts, adopted);
  if (next === full) return;
  full = next;
  epoch = full & 0xff;
  stats.epoch = epoch;
  previousUntil = Date.now() + PREVIOUS_EPOCH_MS;
  for (const id of keys.keys()) {  // forget keys older than the previous epoch
    const k = Number(id.split('|', 1)[0]);
    if (k !== epoch && k !== ((epoch - 1) & 0xff)) keys.delete(id);
  }
}

async function decrypt(kind, mid, frame, controller) {
  const participant = midToParticipant.get(mid);
  const data = new Uint8Array(frame.data);
  if (data.length === 0) { controller.enqueue(frame); return; }
  const n = kind === 'audio' ? OPUS_CLEAR : ((data[0] & 0x01) === 0 ? VP8_CLEAR_KEY : VP8_CLEAR_DELTA);
  if (!roomKey || !participant) { fail(kind + (roomKey ? ' unknown mid ' + mid : ' no key')); return; }
  if (data.length < n + HEADER + TAG) { fail(kind + ' short'); return; }
  const e = data[n];
  if (!acceptable(e)) { fail(kind + ' epoch'); return; }
  const header = data.subarray(n, n + HEADER);
  const ctr = new DataView(data.buffer, data.byteOffset).getUint32(n + 1 + SENDER_ID);
  const sender = participant + '|' + kind + '|' + header.subarray(1, 1 + SENDER_ID).join('.');
  const early = refused(windows.get(sender), ctr);
  if (early) { fail(kind + ' ' + early); return; }
  let plain;
  try {
    const { key, salt } = await derive(participant, kind, e);
    plain = new Uint8Array(await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: iv(salt, header), additionalData: data.subarray(0, n + HEADER), tagLength: 128 },
      key, data.subarray(n + HEADER)));
  } catch (err) {
    fail(kind + ' auth');          // wrong key, tampered, or not encrypted at all: never reaches the decoder
    return;
  }
  const w = windowOf(sender);
  const late = refused(w, ctr);    // the same frame twice at once: only the first to finish counts
  if (late) { fail(kind + ' ' + late); return; }
  accept(w, ctr);
  let out;
  if (kind === 'video' && plain.length >= 3) {       // the frame tag's real first three bytes come first
    out = new Uint8Array(n + plain.length - 3);
    out.set(plain.subarray(0, 3));
    out.set(data.subarray(3, n), 3);
    out.set(plain.subarray(3), n);
  } else {
    out = new Uint8Array(n + plain.length);
    out.set(data.subarray(0, n));
    out.set(plain, n);
  }
  frame.data = out.buffer;
  const ahead = (e - epoch) & 0xff;
  if (ahead !== 0 && ahead < 128) {   // authentic and newer: follow
    adopted = full + ahead;
    updateEpoch();
  }
  stats.decrypted++;
  stats.why['ok ' + kind] = (stats.why['ok ' + kind] || 0) + 1;
  controller.enqueue(frame);
}

function pipe(readable, writable, options) {
  const side = options.side;
  const kind = options.kind;
  const transform = side === 'send'
    ? (frame, controller) => encrypt(kind, frame, controller).catch((e) => { stats.dropped++; stats.why['error ' + kind + ' ' + e] = 1; })
    : (frame, controller) => decrypt(kind, options.mid, frame, controller);
  readable.pipeThrough(new TransformStream({ transform })).pipeTo(writable).catch(() => {});
}

if ('RTCTransformEvent' in globalThis || 'onrtctransform' in globalThis) {
  globalThis.onrtctransform = (event) => {
    const t = event.transformer;
    pipe(t.readable, t.writable, t.options);
  };
}

// The page is the only one who talks to us.
onmessage = async (event) => {
  const m = event.data;
  switch (m.type) {
    case 'key':
      roomKey = m.key ? await crypto.subtle.importKey('raw', m.key, 'HKDF', false, ['deriveBits']) : null;
      keys.clear();
      break;
    case 'self':
      ownId = m.participant;
      break;
    case 'tracks':
      for (const [mid, participant] of Object.entries(m.tracks)) midToParticipant.set(mid, participant);
      break;
    case 'epoch':
      lefts += 1;
      updateEpoch();
      break;
    case 'streams':
      pipe(m.readable, m.writable, m.options);
      break;
    case 'stats':
      postMessage({ type: 'stats', stats: { ...stats, epoch } });
      break;
    default:
      break;
  }
};
