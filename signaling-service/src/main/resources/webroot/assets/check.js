/*
 * Huisclos pre-meeting check (/check): camera, microphone, UDP to the media node, the TCP fallback
 * (ICE-TCP) to the media node, and TURN, one after another, each with a result line.
 *
 * The network tests (probe.js) use the normal client protocol (docs/protocol.md, protocol.js): a
 * `join` to a throw-away room named `check-<random>`, which nobody else can guess, then one
 * RTCPeerConnection that answers the media node's offer. The UDP test keeps only the offer's UDP candidate, the TCP test only its
 * TCP candidate (the `a=candidate` lines are filtered before setRemoteDescription), so each proves
 * one path on its own. A path passes when getStats() shows a succeeded candidate pair of that
 * protocol, the connection (ICE and DTLS) is up, our packets go out and the media node's RTCP
 * receiver reports come back. Then the page leaves the room.
 *
 * The TURN test runs only when the server's offer carries `iceServers` (a TURN relay is configured,
 * docs/protocol.md); otherwise it says "not configured". It keeps every candidate of the offer but
 * sets `iceTransportPolicy: 'relay'`, so the browser can only reach the media node through the
 * relay, and passes when the selected pair's local candidate is of type relay and media flows as
 * above.
 *
 * Device names are shown on this page only; the server gets a fixed display name and nothing else.
 *
 * URL: /check[?timeout=<seconds>]  — how long a path may take to connect before it counts as blocked
 * (default 10).
 *
 * Observable state, window.huisclosCheck (published once, by hooks.js):
 *   state    'running' | 'done'
 *   steps    id -> {status: 'running'|'pass'|'fail'|'skip', message, advice, details}
 *            ids: camera, microphone, udp, tcp, turn; details of udp/tcp/turn come from getStats():
 *            {localProtocol, localCandidateType, relayProtocol, remoteProtocol, remoteTcpType,
 *             remoteAddress, remotePort, pairState, connectionState, packetsSent, rtcpReports,
 *             bytesReceived, port, millis}; turn's also {turnUrls} (never the credential)
 *   advice   what to tell the admin (plain words), one entry per problem found
 *   ok       true when camera, microphone and at least one network path (UDP, TCP or TURN) work
 */
import { $ } from './dom.js';
import { publish } from './hooks.js';
import { describe, probe } from './probe.js';

// No working path within this: the path is blocked. ?timeout=<seconds> (5–60) changes it, for
// very slow links and for tests on loaded machines.
const asked = Number(new URLSearchParams(location.search).get('timeout'));
const CONNECT_TIMEOUT_MS = (asked >= 5 && asked <= 60 ? asked : 10) * 1000;

/** This page's observable state, published as window.huisclosCheck (hooks.js). */
const check = { state: 'running', steps: {}, advice: [], ok: false };
const hc = check;
publish({ huisclosCheck: check });
const LABELS = {
  camera: 'Camera',
  microphone: 'Microphone',
  udp: 'UDP to the media server',
  tcp: 'TCP fallback to the media server (ICE-TCP)',
  turn: 'TURN relay',
};
const MARKS = { pass: '✓', fail: '✗', skip: '–', running: '…' };
const SPOKEN = { pass: 'works', fail: 'problem', skip: 'skipped', running: 'testing' };

function show(id, status, message, details) {
  const step = hc.steps[id] = Object.assign(hc.steps[id] || {}, { status, message });
  if (details) step.details = details;
  let li = document.querySelector('#check-results [data-step="' + id + '"]');
  if (!li) {
    li = document.createElement('li');
    li.dataset.step = id;
    const mark = document.createElement('span');
    mark.className = 'mark';
    mark.setAttribute('role', 'img');
    const text = document.createElement('span');
    text.className = 'text';
    li.append(mark, text);
    $('check-results').appendChild(li);
  }
  li.dataset.status = status;
  li.querySelector('.mark').textContent = MARKS[status];
  li.querySelector('.mark').setAttribute('aria-label', SPOKEN[status]);
  li.querySelector('.text').textContent = LABELS[id] + ': ' + message;
  return step;
}

function advise(id, text) {
  hc.steps[id].advice = text;
  hc.advice.push(text);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- camera and microphone --------------------------------------------------------------

async function checkDevices() {
  show('camera', 'running', 'opening…');
  show('microphone', 'running', 'opening…');
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    // Browsers hide cameras from pages that are neither https:// nor localhost.
    const why = window.isSecureContext === false
      ? 'the browser allows cameras only on https:// pages (or on localhost), and this page is plain http://'
      : 'this browser cannot open cameras (no getUserMedia)';
    show('camera', 'fail', 'cannot be used: ' + why + '.');
    show('microphone', 'fail', 'cannot be used: ' + why + '.');
    if (window.isSecureContext === false) {
      advise('camera', 'This server is reached over plain http://, so browsers refuse camera and microphone: '
        + 'ask your admin to serve it over HTTPS (a TLS proxy, or HUISCLOS_TLS_CERT and HUISCLOS_TLS_KEY, '
        + 'or HUISCLOS_TLS=self-signed on a LAN).');
    }
    return null;
  }
  let stream = null;
  let error = null;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  } catch (e) {
    error = e;
    // One of the two may still work on its own.
    const tracks = [];
    for (const kind of ['audio', 'video']) {
      try {
        const s = await navigator.mediaDevices.getUserMedia({ [kind]: true });
        tracks.push(...s.getTracks());
      } catch (e2) { /* reported below */ }
    }
    stream = tracks.length ? new MediaStream(tracks) : null;
  }
  const why = error ? deviceError(error) : '';
  const video = stream && stream.getVideoTracks()[0];
  const audio = stream && stream.getAudioTracks()[0];
  if (video) {
    const preview = $('check-preview');
    preview.srcObject = new MediaStream([video]);
    const deadline = Date.now() + 10000;
    while (preview.videoWidth === 0 && Date.now() < deadline) await sleep(100);
    if (preview.videoWidth > 0) {
      show('camera', 'pass', 'works (' + (video.label || 'camera') + ', ' + preview.videoWidth + '×'
        + preview.videoHeight + ')', { width: preview.videoWidth, height: preview.videoHeight });
    } else {
      show('camera', 'fail', 'opens but shows no picture. Close other apps that use the camera and check again.');
    }
  } else {
    show('camera', 'fail', 'could not be opened' + (why ? ': ' + why : '') + '. You can still join, hear and see the others.');
  }
  if (audio && audio.readyState === 'live') {
    show('microphone', 'pass', 'works (' + (audio.label || 'microphone') + ')');
  } else {
    show('microphone', 'fail', 'could not be opened' + (why ? ': ' + why : '') + '. The others will not hear you.');
  }
  return stream;
}

function deviceError(e) {
  switch (e && e.name) {
    case 'NotAllowedError': return 'the browser was not allowed to use it (allow camera and microphone for this site)';
    case 'NotFoundError': return 'none was found';
    case 'NotReadableError': return 'another app is using it';
    case 'SecurityError': return 'this page is not on https://, so the browser refuses';
    default: return e && e.name ? e.name : 'unknown error';
  }
}

// ---- the sequence -----------------------------------------------------------------------

async function run() {
  hc.state = 'running';
  hc.steps = {};
  hc.advice = [];
  hc.ok = false;
  $('check-results').replaceChildren();
  $('check-summary').hidden = true;
  $('check-advice').hidden = true;
  $('check-advice').replaceChildren();
  $('check-again').hidden = true;

  const stream = await checkDevices();

  show('udp', 'running', 'testing…');
  const udp = await probe('udp', stream, CONNECT_TIMEOUT_MS);
  show('udp', udp.ok ? 'pass' : 'fail', describe('udp', udp), udp.details);
  show('tcp', 'running', 'testing…');
  const tcp = await probe('tcp', stream, CONNECT_TIMEOUT_MS);
  show('tcp', tcp.ok ? 'pass' : 'fail', describe('tcp', tcp), tcp.details);
  show('turn', 'running', 'testing…');
  const turn = await probe('turn', stream, CONNECT_TIMEOUT_MS);
  if (turn.notConfigured) {
    show('turn', 'skip', 'not configured on this server (not needed when UDP or TCP works).');
  } else {
    show('turn', turn.ok ? 'pass' : 'fail', describe('turn', turn), turn.details);
  }

  const udpPort = udp.details.port;
  const tcpPort = tcp.details.port;
  const address = udp.details.address || tcp.details.address;
  if (address && /^127\./.test(address) && !/^(localhost|127\.|\[::1\])/.test(location.hostname)) {
    advise(udp.ok ? 'tcp' : 'udp', 'The media server announces the address ' + address + ', which only works on the '
      + 'server itself: ask your admin to set HUISCLOS_PUBLIC_IP to the server\'s public address.');
  }
  if (!udp.ok && !udp.signaling && !udp.none && tcp.ok) {
    advise('udp', 'UDP port ' + udpPort + ' seems blocked: ask your admin to open UDP ' + udpPort
      + ' (outgoing from your network, incoming on the server), or use the TCP fallback, which works '
      + '(video may lag a little more over TCP).');
  } else if (!udp.ok && !tcp.ok && !udp.signaling && !tcp.signaling && turn.ok) {
    advise('udp', 'Neither UDP nor TCP reach the media server directly, but the TURN relay works: you can meet '
      + 'through it (with a little more delay). For a direct path, ask your admin to open UDP ' + (udpPort || '?')
      + ' and TCP ' + (tcpPort || '?') + ' to ' + (address || 'the media server') + '.');
  } else if (!udp.ok && !tcp.ok && !udp.signaling && !tcp.signaling) {
    advise('udp', 'Neither UDP nor TCP reach the media server: ask your admin to open UDP ' + (udpPort || '?')
      + ' and TCP ' + (tcpPort || '?') + ' to ' + (address || 'the media server')
      + (turn.notConfigured ? ', or to set up a TURN relay' : '') + '. Until then you cannot send or receive audio and video.');
  } else if (udp.ok && !tcp.ok && !tcp.signaling && !tcp.none) {
    advise('tcp', 'UDP works, so your meetings will work. Only the fallback for networks that block UDP fails: '
      + 'ask your admin to open TCP ' + tcpPort + ' on the server, for participants on such networks.');
  }
  if (!turn.ok && !turn.notConfigured && !turn.signaling) {
    advise('turn', 'The TURN relay of this server does not work from your network' + (udp.ok || tcp.ok ? ' (you do not need it: a direct path works)' : '')
      + ': ask your admin to check that it runs, that its ports are open (3478 UDP and TCP, the TLS port, the relay ports) '
      + 'and that Huisclos and the relay share the same HUISCLOS_TURN_SECRET.');
  }
  if (udp.signaling || tcp.signaling) {
    advise(udp.signaling ? 'udp' : 'tcp', 'The meeting server itself could not be used: ' + (udp.signaling ? udp.message : tcp.message));
  }

  const camera = hc.steps.camera.status === 'pass';
  const mic = hc.steps.microphone.status === 'pass';
  hc.ok = camera && mic && (udp.ok || tcp.ok || turn.ok);
  const summary = $('check-summary');
  summary.textContent = hc.ok
    ? (udp.ok ? 'All set: you are ready for your meeting.'
      : tcp.ok ? 'You can meet, over the TCP fallback.' : 'You can meet, through the TURN relay.')
    : (udp.ok || tcp.ok || turn.ok ? 'You can join, but see the problems above.' : 'You cannot get audio and video through yet: see below.');
  summary.hidden = false;
  for (const text of hc.advice) {
    const li = document.createElement('li');
    li.textContent = text;
    $('check-advice').appendChild(li);
  }
  $('check-advice').hidden = hc.advice.length === 0;
  if (stream) stream.getTracks().forEach((t) => t.stop());   // the camera light goes off
  $('check-preview').srcObject = null;
  $('check-again').hidden = false;
  hc.state = 'done';
}

function start() {
  run().catch((e) => {
    // A bug or an unexpected browser: say so instead of spinning for ever.
    $('check-summary').textContent = 'The check stopped unexpectedly (' + (e && e.name ? e.name : e) + '). Reload to try again.';
    $('check-summary').hidden = false;
    $('check-again').hidden = false;
    hc.error = String(e);
    hc.state = 'done';
  });
}

$('check-again').addEventListener('click', start);
start();
