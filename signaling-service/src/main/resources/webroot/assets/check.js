/*
 * Huisclos pre-meeting check (/check): camera, microphone, UDP to the media node, the TCP fallback
 * (ICE-TCP) to the media node, and TURN, one after another, each with a result line.
 *
 * The network tests use the normal client protocol (docs/protocol.md): a `join` to a throw-away
 * room named `check-<random>`, which nobody else can guess, then one RTCPeerConnection that answers
 * the media node's offer. The UDP test keeps only the offer's UDP candidate, the TCP test only its
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
 * Test hook, window.huisclosCheck:
 *   state    'running' | 'done'
 *   steps    id -> {status: 'running'|'pass'|'fail'|'skip', message, advice, details}
 *            ids: camera, microphone, udp, tcp, turn; details of udp/tcp/turn come from getStats():
 *            {localProtocol, localCandidateType, relayProtocol, remoteProtocol, remoteTcpType,
 *             remoteAddress, remotePort, pairState, connectionState, packetsSent, rtcpReports,
 *             bytesReceived, port, millis}; turn's also {turnUrls} (never the credential)
 *   advice   what to tell the admin (plain words), one entry per problem found
 *   ok       true when camera, microphone and at least one network path (UDP, TCP or TURN) work
 */
'use strict';
(() => {
  // No working path within this: the path is blocked. ?timeout=<seconds> (5–60) changes it, for
  // very slow links and for tests on loaded machines.
  const asked = Number(new URLSearchParams(location.search).get('timeout'));
  const CONNECT_TIMEOUT_MS = (asked >= 5 && asked <= 60 ? asked : 10) * 1000;
  const MEDIA_TIMEOUT_MS = 6000;      // once connected: packets out and RTCP back within this
  const POLL_MS = 250;

  const hc = window.huisclosCheck = { state: 'running', steps: {}, advice: [], ok: false };
  const $ = (id) => document.getElementById(id);
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

  // ---- network paths ----------------------------------------------------------------------

  function wsUrl() {
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
  }

  function randomRoom() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return 'check-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  /** The offer's candidates of one transport ('udp' or 'tcp'), and the SDP with only those. */
  function keepCandidates(sdp, protocol) {
    const kept = [];
    const lines = sdp.split(/\r\n/).filter((line) => {
      if (!line.startsWith('a=candidate:')) return true;
      const f = line.slice('a=candidate:'.length).split(' ');
      if (f[2].toLowerCase() !== protocol) return false;
      kept.push({ address: f[4], port: Number(f[5]) });
      return true;
    });
    return { sdp: lines.join('\r\n'), candidates: kept };
  }

  /**
   * One throw-away participant over `protocol` only ('udp', 'tcp', or 'turn': relayed through the
   * offer's iceServers); resolves to {ok, message, details}, or {notConfigured} for 'turn' without
   * TURN.
   */
  async function probe(protocol, stream) {
    const started = performance.now();
    const details = { port: null, address: null };
    let ws = null;
    let pc = null;
    try {
      ws = new WebSocket(wsUrl());
      const inbox = [];
      let wake = null;
      ws.onmessage = (event) => {
        try { inbox.push(JSON.parse(event.data)); } catch (e) { return; }
        if (wake) wake();
      };
      const closed = new Promise((resolve) => { ws.onclose = resolve; ws.onerror = resolve; });
      const opened = new Promise((resolve) => { ws.onopen = () => resolve(true); });
      if (!await Promise.race([opened, closed.then(() => false), sleep(CONNECT_TIMEOUT_MS).then(() => false)])) {
        return { ok: false, message: 'could not reach the meeting server (WebSocket). Check your connection and reload.',
          signaling: true, details };
      }
      const next = async (deadline) => {
        while (!inbox.length) {
          const left = deadline - Date.now();
          if (left <= 0 || ws.readyState !== WebSocket.OPEN) return null;
          await Promise.race([new Promise((resolve) => { wake = resolve; }), sleep(Math.min(left, 500))]);
        }
        return inbox.shift();
      };
      const audio = stream && stream.getAudioTracks()[0];
      const video = stream && stream.getVideoTracks()[0];
      ws.send(JSON.stringify({ type: 'join', v: 1, room: randomRoom(), name: 'Connection check',
        audio: !!audio, video: !!video }));
      let offer = null;
      const signalDeadline = Date.now() + CONNECT_TIMEOUT_MS;
      while (!offer) {
        const m = await next(signalDeadline);
        if (!m) return { ok: false, message: 'the meeting server did not answer in time. Try again in a moment.', signaling: true, details };
        if (m.type === 'error') {
          return { ok: false, signaling: true, details, message: m.code === 'media-unavailable'
            ? 'no media server is available right now: tell your admin.' : 'the server refused the test (' + m.code + ').' };
        }
        if (m.type === 'offer') offer = m;
      }
      const config = { bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' };
      let sdp = offer.sdp;
      if (protocol === 'turn') {
        if (!Array.isArray(offer.iceServers) || !offer.iceServers.length) return { ok: false, notConfigured: true, details };
        config.iceServers = offer.iceServers;
        config.iceTransportPolicy = 'relay';   // only relay candidates: the relay is the only way
        details.turnUrls = offer.iceServers.flatMap((s) => [].concat(s.urls));
      } else {
        const filtered = keepCandidates(offer.sdp, protocol);
        if (!filtered.candidates.length) {
          return { ok: false, none: true, details,
            message: 'this server does not offer ' + protocol.toUpperCase() + ' for media.' };
        }
        details.address = filtered.candidates[0].address;
        details.port = filtered.candidates[0].port;
        sdp = filtered.sdp;
      }
      pc = new RTCPeerConnection(config);
      await pc.setRemoteDescription({ type: 'offer', sdp });
      for (const t of pc.getTransceivers()) {
        const track = t.mid === 'a' ? audio : t.mid === 'v' ? video : null;
        if (track) {
          await t.sender.replaceTrack(track);
          t.direction = 'sendonly';
        }
      }
      await pc.setLocalDescription(await pc.createAnswer());
      ws.send(JSON.stringify({ type: 'answer', version: offer.version, sdp: pc.localDescription.sdp }));

      const sending = !!(audio || video);
      const connectDeadline = Date.now() + CONNECT_TIMEOUT_MS;
      let mediaDeadline = null;
      for (;;) {
        const s = await pathStats(pc);
        Object.assign(details, s, { connectionState: pc.connectionState });
        const connected = pc.connectionState === 'connected' && s.pairState === 'succeeded'
          && (protocol === 'turn' ? s.localCandidateType === 'relay' : s.remoteProtocol === protocol);
        if (connected && mediaDeadline === null) mediaDeadline = Date.now() + MEDIA_TIMEOUT_MS;
        if (connected && (!sending || (s.packetsSent > 0 && s.rtcpReports > 0))) {
          details.millis = Math.round(performance.now() - started);
          return { ok: true, details };
        }
        if (pc.connectionState === 'failed' || (!connected && Date.now() > connectDeadline)) {
          return { ok: false, blocked: true, details };
        }
        if (mediaDeadline !== null && Date.now() > mediaDeadline) {
          return { ok: false, noMedia: true, details };
        }
        await sleep(POLL_MS);
      }
    } catch (e) {
      return { ok: false, message: 'the test itself failed (' + (e && e.name ? e.name : e) + ').', details };
    } finally {
      if (ws && ws.readyState === WebSocket.OPEN) {
        ws.send(JSON.stringify({ type: 'leave' }));
        ws.close();
      }
      if (pc) pc.close();
    }
  }

  /** The selected candidate pair and the media counters, from getStats(). */
  async function pathStats(pc) {
    const stats = await pc.getStats();
    const out = { pairState: null, localProtocol: null, localCandidateType: null, relayProtocol: null,
      remoteProtocol: null, remoteTcpType: null,
      remoteAddress: null, remotePort: null, packetsSent: 0, rtcpReports: 0, bytesReceived: 0 };
    let pairId = null;
    stats.forEach((s) => {
      if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
      if (s.type === 'outbound-rtp') out.packetsSent += s.packetsSent || 0;
      // remote-inbound-rtp exists once the media node's receiver reports (RTCP) come back.
      if (s.type === 'remote-inbound-rtp') out.rtcpReports += s.roundTripTimeMeasurements || 1;
    });
    const pair = pairId && stats.get(pairId);
    if (pair) {
      const local = stats.get(pair.localCandidateId);
      const remote = stats.get(pair.remoteCandidateId);
      out.pairState = pair.state;
      out.bytesReceived = pair.bytesReceived || 0;
      out.localProtocol = local ? local.protocol : null;
      out.localCandidateType = local ? local.candidateType || null : null;
      out.relayProtocol = local ? local.relayProtocol || null : null;   // client to relay: udp, tcp or tls
      out.remoteProtocol = remote ? remote.protocol : null;
      out.remoteTcpType = remote ? remote.tcpType || null : null;
      out.remoteAddress = remote ? remote.address || remote.ip || null : null;
      out.remotePort = remote ? remote.port : null;
    }
    return out;
  }

  function describe(protocol, r) {
    if (protocol === 'turn') return describeTurn(r);
    const P = protocol.toUpperCase();
    if (r.ok) {
      const d = r.details;
      return 'works (' + P + ' port ' + d.port + ', connected in ' + (d.millis / 1000).toFixed(1) + ' s'
        + (d.packetsSent ? ', ' + d.packetsSent + ' packets sent, the server confirms receiving them' : '') + ')';
    }
    if (r.message) return r.message;
    if (r.blocked) return 'no connection to ' + P + ' port ' + r.details.port + ' of the media server: it seems blocked on your network.';
    if (r.noMedia) return 'connects on ' + P + ' port ' + r.details.port + ', but no media gets through.';
    return 'failed.';
  }

  function describeTurn(r) {
    const d = r.details;
    if (r.ok) {
      return 'works (relayed' + (d.relayProtocol ? ' over ' + d.relayProtocol.toUpperCase() : '') + ', connected in '
        + (d.millis / 1000).toFixed(1) + ' s' + (d.packetsSent ? ', ' + d.packetsSent + ' packets sent, the server confirms receiving them' : '') + ')';
    }
    if (r.message) return r.message;
    if (r.blocked) return 'no connection through the TURN relay (' + (d.turnUrls || []).join(', ') + ') from your network.';
    if (r.noMedia) return 'connects through the TURN relay, but no media gets through.';
    return 'failed.';
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
    const udp = await probe('udp', stream);
    show('udp', udp.ok ? 'pass' : 'fail', describe('udp', udp), udp.details);
    show('tcp', 'running', 'testing…');
    const tcp = await probe('tcp', stream);
    show('tcp', tcp.ok ? 'pass' : 'fail', describe('tcp', tcp), tcp.details);
    show('turn', 'running', 'testing…');
    const turn = await probe('turn', stream);
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
})();
