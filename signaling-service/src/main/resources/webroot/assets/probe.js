/*
 * The network paths of the pre-meeting check (check.js): one throw-away participant per path, over
 * the normal client protocol (protocol.js), whose peer connection may use only that path; then
 * getStats() says whether it connected and media flowed. See check.js for what each path means.
 */
import { joinRequest, openExchange } from './protocol.js';

const MEDIA_TIMEOUT_MS = 6000;      // once connected: packets out and RTCP back within this
const POLL_MS = 250;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

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
 * TURN. A path that does not connect within `connectTimeoutMs` counts as blocked.
 */
export async function probe(protocol, stream, connectTimeoutMs) {
  const started = performance.now();
  const details = { port: null, address: null };
  let exchange = null;
  let pc = null;
  try {
    exchange = await openExchange(connectTimeoutMs);
    if (!exchange) {
      return { ok: false, message: 'could not reach the meeting server (WebSocket). Check your connection and reload.',
        signaling: true, details };
    }
    const audio = stream && stream.getAudioTracks()[0];
    const video = stream && stream.getVideoTracks()[0];
    exchange.send(joinRequest({ room: randomRoom(), name: 'Connection check', audio: !!audio, video: !!video }));
    let offer = null;
    const signalDeadline = Date.now() + connectTimeoutMs;
    while (!offer) {
      const m = await exchange.next(signalDeadline);
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
    exchange.send({ type: 'answer', version: offer.version, sdp: pc.localDescription.sdp });

    const sending = !!(audio || video);
    const connectDeadline = Date.now() + connectTimeoutMs;
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
    if (exchange) exchange.leave();
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

/** A result line's text for a probe's result. */
export function describe(protocol, r) {
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
