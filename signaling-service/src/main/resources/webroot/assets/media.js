/*
 * The meeting's one RTCPeerConnection to the media node (docs/protocol.md): the server always
 * offers, we always answer. Offers are applied strictly one after another; each may carry
 * `iceServers` (TURN with a fresh credential) and a `tracks` list (mid -> participant, kind). Our
 * own tracks go on m-lines 'a' and 'v'; every other receiving m-line feeds its participant's
 * MediaStream and tile.
 *
 * The end-to-end encryption hooks (e2ee.js) run in this order, which matters: pcConfig when the
 * peer connection is made; tracks before setRemoteDescription; after it, sender() for our own
 * m-lines — which in script mode attaches our track only once the answer is set — and receiver()
 * for the others'; then the answer.
 */

/**
 * The node's offer asked for our video in simulcast layers (a=simulcast:recv, RFC 8853): the browser
 * made one encoding per rid, lowest first (q, h, f). They get a quarter, half and the full size of a
 * 1280×720 camera picture, with bitrate caps (kbit/s 150, 500, 1500).
 */
const LAYERS = [
  { scaleResolutionDownBy: 4, maxBitrate: 150000 },
  { scaleResolutionDownBy: 2, maxBitrate: 500000 },
  { scaleResolutionDownBy: 1, maxBitrate: 1500000 },
];

async function simulcast(sender, track, report) {
  const parameters = sender.getParameters();
  const encodings = parameters.encodings || [];
  if (encodings.length < 2) return;
  if (track) {
    await track.applyConstraints({ width: { ideal: 1280 }, height: { ideal: 720 } })
      .catch((e) => report('applyConstraints 1280x720: ' + e.name));
  }
  encodings.forEach((encoding, i) => Object.assign(encoding, LAYERS[LAYERS.length - encodings.length + i]));
  await sender.setParameters(parameters).catch((e) => report('simulcast setParameters: ' + e));
}

export class MediaSession {
  /**
   * state: the page's observable state (pc, tracks, turnUrls, participantId are kept here);
   * e2ee: the hooks of e2ee.js; tiles: the TileGrid; localTrack(kind): our audio or video track
   * (or null); send(message): to signaling; setStatus(text, kind); report(text): a local failure;
   * onLayout(): tiles may have come or gone (the view reporter looks again).
   */
  constructor({ state, e2ee, tiles, localTrack, send, setStatus, report, onLayout }) {
    Object.assign(this, { state, e2ee, tiles, localTrack, send, setStatus, report });
    this.onLayout = onLayout || (() => {});
    this.offers = Promise.resolve();   // offers are handled strictly one after another
    this.generation = 0;               // offers queued for a closed pc are dropped
    this.published = new Set();        // mids 'a'/'v' that carry our tracks already
    this.streams = new Map();          // participant id -> MediaStream of their receiver tracks
    this.departed = new Set();         // ids that left: their m-lines linger until the next offer
  }

  /** Queues an `offer` message. */
  offer(message) {
    const generation = this.generation;
    this.offers = this.offers.then(() => (generation === this.generation ? this.answer(message) : null))
      .catch((e) => {
        if (generation !== this.generation) return;   // its pc was closed (media moved, or we left)
        this.report('offer ' + message.version + ': ' + e);
        this.setStatus('Could not set up the media connection. Try leaving and joining again.', 'error');
      });
  }

  /**
   * The media node says which of our simulcast layers someone receives (rids): the others stop being
   * encoded until wanted again (queued behind the offers, so that the sender has its encodings).
   */
  layers(active) {
    if (!Array.isArray(active)) return;
    const generation = this.generation;
    this.offers = this.offers.then(async () => {
      const pc = this.state.pc;
      const transceiver = pc && generation === this.generation
        && pc.getTransceivers().find((t) => t.mid === 'v');
      if (!transceiver) return;
      const parameters = transceiver.sender.getParameters();
      if (!parameters.encodings || parameters.encodings.length < 2) return;
      parameters.encodings.forEach((e) => { e.active = active.includes(e.rid); });
      await transceiver.sender.setParameters(parameters);
    }).catch((e) => this.report('layers: ' + e));
  }

  /** Someone left: their tracks are not shown again, even before the next offer drops them. */
  departedParticipant(id) {
    this.departed.add(id);
    this.streams.delete(id);
  }

  /** Closes the peer connection and drops pending offers; the next offer starts a fresh one. */
  close() {
    this.generation += 1;
    this.offers = Promise.resolve();
    if (this.state.pc) this.state.pc.close();
    this.state.pc = null;
    this.state.tracks = {};
    this.published = new Set();
    this.streams.clear();
  }

  /** close(), and forget who left (a new meeting). */
  reset() {
    this.close();
    this.departed.clear();
  }

  /**
   * The peer connection, made at the first offer. `iceServers` (the TURN relay and a fresh
   * credential, when the server has TURN: docs/protocol.md) go into it at creation, and into the
   * running one before each later offer, so that ICE always gathers with an unexpired credential.
   */
  peerConnection(iceServers) {
    const state = this.state;
    if (iceServers) state.turnUrls = iceServers.flatMap((s) => [].concat(s.urls));
    if (state.pc) {
      if (iceServers) state.pc.setConfiguration({ ...state.pc.getConfiguration(), iceServers });
      return state.pc;
    }
    const config = { bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' };
    if (iceServers) config.iceServers = iceServers;
    const pc = new RTCPeerConnection(this.e2ee.pcConfig(config));
    pc.ontrack = () => this.attachRemoteTracks();
    pc.onconnectionstatechange = () => {
      if (pc !== state.pc) return;
      if (pc.connectionState === 'failed') {
        this.setStatus('Could not reach the media server. Your network may block it.', 'error');
      } else if (pc.connectionState === 'disconnected') {
        this.setStatus('Media connection interrupted…', 'warning');
      } else if (pc.connectionState === 'connected' && state.state === 'joined') {
        this.setStatus('');
      }
    };
    state.pc = pc;
    return pc;
  }

  async answer(offer) {
    const state = this.state;
    const pc = this.peerConnection(Array.isArray(offer.iceServers) ? offer.iceServers : null);
    for (const t of offer.tracks || []) {
      state.tracks[t.mid] = { participant: t.participant, kind: t.kind };
    }
    this.e2ee.tracks(state.tracks);
    await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    for (const transceiver of pc.getTransceivers()) {
      const mid = transceiver.mid;
      if ((mid === 'a' || mid === 'v') && !this.published.has(mid)) {
        const kind = mid === 'a' ? 'audio' : 'video';   // e2ee.sender attaches the track (maybe after the answer)
        await this.e2ee.sender(pc, transceiver.sender, kind, this.localTrack(kind));
        if (kind === 'video') await simulcast(transceiver.sender, this.localTrack(kind), this.report);
        transceiver.direction = 'sendonly';
        this.published.add(mid);
      } else if (mid !== 'a' && mid !== 'v' && state.tracks[mid]) {
        this.e2ee.receiver(transceiver.receiver, mid, state.tracks[mid].kind);
      }
    }
    await pc.setLocalDescription(await pc.createAnswer());
    this.send({ type: 'answer', version: offer.version, sdp: pc.localDescription.sdp });
    this.attachRemoteTracks();
    this.onLayout();
  }

  /** Puts every receiving transceiver's track into its participant's MediaStream and tile. */
  attachRemoteTracks() {
    const state = this.state;
    const pc = state.pc;
    if (!pc) return;
    for (const transceiver of pc.getTransceivers()) {
      const info = state.tracks[transceiver.mid];
      const track = transceiver.receiver && transceiver.receiver.track;
      if (!info || !track || transceiver.mid === 'a' || transceiver.mid === 'v') continue;
      if (transceiver.currentDirection === 'inactive' || transceiver.direction === 'inactive') continue;
      if (info.participant === state.participantId || this.departed.has(info.participant)) continue;
      let stream = this.streams.get(info.participant);
      if (!stream) {
        stream = new MediaStream();
        this.streams.set(info.participant, stream);
      }
      if (!stream.getTracks().includes(track)) {
        for (const old of stream.getTracks()) {
          if (old.kind === track.kind) stream.removeTrack(old);
        }
        stream.addTrack(track);
      }
      this.tiles.show(info.participant, stream);
    }
  }
}
