/*
 * Huisclos meeting page: pre-join screen, the client protocol of docs/protocol.md over /ws, one
 * RTCPeerConnection to the media node (the server always offers, we always answer), and the grid.
 *
 * URL: /<room>[?name=<display name>&autojoin=1&region=<region>]  — autojoin skips the pre-join
 * screen and joins at once with camera and microphone (for browser tests and links that should just
 * work; never with a damaged #key=, see e2ee.js); region asks for a media node of that region
 * (HUISCLOS_REGION), e.g. in an invite link for the participants of one site.
 *
 * Test hooks, kept up to date on window.huisclos:
 *   state         'prejoin' | 'joining' | 'joined' | 'reconnecting' | 'left'
 *   participantId our own id once joined (null before)
 *   pc            the RTCPeerConnection (null before the first offer and after leaving)
 *   tracks        mid -> {participant, kind}, from the offers' `tracks` lists
 *   participants  id -> {name, audio, video}, everyone else in the room (not us)
 *   errors        every `error` message received ({code, message, request}), and local failures
 *                 as {code: 'client', message}
 *   ws            the current WebSocket (ws.url tells which signaling instance)
 *   signalingUrls the WebSocket URLs tried in turn on reconnection (this page's own first)
 *   mediaMoves    how many times the server moved our media to another node (`media-moved`)
 *   moderator     the id of the room's moderator (null: nobody, or not known yet)
 *   isModerator   whether we moderate the room
 *   lobby         whether the room's lobby is on; passwordSet: whether it has a password
 *   waiting       we wait in the lobby; refused: the moderator did not let us in
 *   knocks        (moderator) id -> name of those waiting in the lobby
 *   removed       the moderator removed us
 *   mutedBy       the moderator's id when it last muted our microphone
 *   turnUrls      the TURN URLs of the last offer's `iceServers` applied to pc ([] without TURN;
 *                 never the credential)
 * Display names are never sent anywhere but to the server, and are stored only in localStorage.
 */
'use strict';
(() => {
  const PING_MS = 15000;
  const BACKOFF_FIRST_MS = 500;
  const BACKOFF_MAX_MS = 5000;
  const NAME_KEY = 'huisclos.displayName';

  const hc = window.huisclos = {
    state: 'prejoin', participantId: null, pc: null, turnUrls: [], tracks: {}, participants: {}, errors: [], ws: null,
    signalingUrls: [],
    moderator: null, isModerator: false, lobby: false, passwordSet: false, waiting: false, refused: false,
    knocks: {}, removed: false, mutedBy: null,
  };

  const $ = (id) => document.getElementById(id);
  // End-to-end encryption hooks (assets/e2ee.js); no-ops when the page has no meeting key.
  const e2ee = window.huisclosE2ee || {
    pcConfig: (c) => c, self() {}, tracks() {}, left() {}, sender: (pc, s, kind, t) => s.replaceTrack(t), receiver() {},
  };
  const room = decodeURIComponent(location.pathname.slice(1));
  const params = new URLSearchParams(location.search);

  let displayName = '';
  let local = null;            // MediaStream from getUserMedia, or null without devices
  let micOn = true;
  let camOn = true;
  let token = null;
  let mediaFailures = 0;
  let roomPassword = '';            // what the user typed in the password prompt, for this page only
  let backoff = BACKOFF_FIRST_MS;
  let reconnectTimer = null;
  let urlIndex = 0;                 // which of hc.signalingUrls the next socket goes to
  let reconnectAttempts = 0;        // since we were last in the room: the first retries the same URL
  let config = null;                // promise of the signaling URLs (GET /config)
  let pingTimer = null;
  let awaitingPong = false;
  let offers = Promise.resolve();   // offers are handled strictly one after another
  let pcGeneration = 0;             // offers queued for a closed pc are dropped
  let published = new Set();        // mids 'a'/'v' that carry our tracks already
  const streams = new Map();        // participant id -> MediaStream of their receiver tracks
  const departed = new Set();       // ids that left: their m-lines linger until the next offer

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
  };

  function report(code, message) {
    hc.errors.push({ code, message });
  }

  // ---- local media ----------------------------------------------------------------------

  async function openDevices() {
    const attempts = [{ audio: true, video: true }, { audio: true, video: false }, { audio: false, video: true }];
    for (const constraints of attempts) {
      try {
        return await navigator.mediaDevices.getUserMedia(constraints);
      } catch (e) {
        report('client', 'getUserMedia ' + JSON.stringify(constraints) + ': ' + e.name);
      }
    }
    return null;
  }

  const audioTrack = () => (local ? local.getAudioTracks()[0] || null : null);
  const videoTrack = () => (local ? local.getVideoTracks()[0] || null : null);

  function applyMute() {
    if (audioTrack()) audioTrack().enabled = micOn;
    if (videoTrack()) videoTrack().enabled = camOn;
    const audio = micOn && !!audioTrack();
    const video = camOn && !!videoTrack();
    toggleLabel($('pre-mic'), micOn, 'Microphone on', 'Microphone off');
    toggleLabel($('pre-cam'), camOn, 'Camera on', 'Camera off');
    toggleLabel($('mic'), !micOn, 'Unmute microphone', 'Mute microphone');
    toggleLabel($('cam'), !camOn, 'Turn camera on', 'Turn camera off');
    updateTile('self', { name: displayName + ' (you)', audio, video });
    return { audio, video };
  }

  function toggleLabel(button, pressed, onText, offText) {
    button.setAttribute('aria-pressed', String(pressed));
    button.textContent = pressed ? onText : offText;
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

  // ---- WebSocket and protocol -------------------------------------------------------------

  function send(message) {
    if (hc.ws && hc.ws.readyState === WebSocket.OPEN) {
      hc.ws.send(JSON.stringify(message));
    }
  }

  function joinMessage() {
    const { audio, video } = applyMute();
    const join = { type: 'join', v: 1, room, name: displayName, audio, video };
    if (roomPassword) join.password = roomPassword;
    // A member's sign-in token from the portal's invite link (#token=…; a fragment never reaches the server otherwise).
    const token = new URLSearchParams(location.hash.slice(1)).get('token');
    if (token) join.token = token;
    const region = params.get('region');
    if (region && /^[A-Za-z0-9_.-]{1,32}$/.test(region)) join.region = region;
    return join;
  }

  /** The WebSocket URL of a base URL (http(s)://host:port) or of this page's origin. */
  function wsUrl(base) {
    const u = new URL(base || location.origin);
    return (u.protocol === 'https:' ? 'wss://' : 'ws://') + u.host + '/ws';
  }

  /**
   * Learns the other signaling instances (GET /config); this page's own instance comes first.
   * Without a list (or with an unreachable /config) only the page's own instance is used.
   */
  function loadConfig() {
    if (!config) {
      const own = wsUrl(null);
      config = fetch('/config', { cache: 'no-store' })
        .then((r) => (r.ok ? r.json() : { signalingUrls: [] }))
        .catch(() => ({ signalingUrls: [] }))
        .then((c) => {
          const urls = [own];
          for (const base of (Array.isArray(c.signalingUrls) ? c.signalingUrls : [])) {
            try {
              const url = wsUrl(base);
              if (!urls.includes(url)) urls.push(url);
            } catch (e) {
              report('client', 'unusable signaling URL in /config');
            }
          }
          hc.signalingUrls = urls;
        });
    }
    return config;
  }

  function resumeMessage() {
    const { audio, video } = applyMute();
    return { type: 'resume', participant: hc.participantId, token, room, name: displayName, audio, video };
  }

  function connect() {
    const urls = hc.signalingUrls.length ? hc.signalingUrls : [wsUrl(null)];
    const ws = new WebSocket(urls[urlIndex % urls.length]);
    hc.ws = ws;
    ws.onopen = () => {
      startPing();
      send(token ? resumeMessage() : joinMessage());
    };
    ws.onmessage = (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        report('client', 'unreadable message from the server');
        return;
      }
      onMessage(message);
    };
    ws.onclose = (event) => {
      if (hc.ws !== ws) return;
      stopPing();
      if (event.code === 4001) return;   // removed by the moderator: never reconnect
      if (hc.state === 'joined' || hc.state === 'joining' || hc.state === 'reconnecting') {
        // 1012: the instance is stopping and handed us to another one: go there, soon.
        if (event.code === 1012) {
          reconnectAttempts = Math.max(reconnectAttempts, 1);
          backoff = Math.min(backoff, 100);
        }
        scheduleReconnect();
      }
    };
  }

  /** The first attempt after a drop retries the same instance; every later one tries the next. */
  function scheduleReconnect() {
    if (hc.state === 'joined') hc.state = 'reconnecting';
    setStatus('Reconnecting…', 'warning');
    clearTimeout(reconnectTimer);
    if (reconnectAttempts > 0) urlIndex = (urlIndex + 1) % Math.max(hc.signalingUrls.length, 1);
    reconnectAttempts += 1;
    reconnectTimer = setTimeout(connect, backoff);
    backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
  }

  function startPing() {
    stopPing();
    awaitingPong = false;
    pingTimer = setInterval(() => {
      if (awaitingPong && hc.ws) {
        hc.ws.close();          // two pings without a pong: the socket is dead, reconnect
        return;
      }
      awaitingPong = true;
      send({ type: 'ping' });
    }, PING_MS);
  }

  function stopPing() {
    clearInterval(pingTimer);
    pingTimer = null;
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
        entered();
        break;
      case 'participant':
        if (message.participant === hc.participantId) break;
        hc.participants[message.participant] = { name: message.name, audio: message.audio, video: message.video };
        updateTile(message.participant, hc.participants[message.participant]);
        decorateTile(message.participant);
        break;
      case 'left':
        e2ee.left(message.participant);
        delete hc.participants[message.participant];
        departed.add(message.participant);
        removeTile(message.participant);
        break;
      case 'offer': {
        const generation = pcGeneration;
        offers = offers.then(() => (generation === pcGeneration ? answer(message) : null))
          .catch((e) => {
            if (generation !== pcGeneration) return;   // its pc was closed (media moved, or we left)
            report('client', 'offer ' + message.version + ': ' + e);
            setStatus('Could not set up the media connection. Try leaving and joining again.', 'error');
          });
        break;
      }
      case 'media-moved':
        if (message.token) token = message.token;   // the old token names the node we left
        mediaMoved();
        break;
      case 'pong':
        awaitingPong = false;
        break;
      case 'error':
        onError(message);
        break;
      default:
        onAccessMessage(message);   // moderation, password and lobby; ignores what it does not know
    }
  }

  function entered() {
    hc.state = 'joined';
    hc.waiting = false;
    hc.refused = false;
    backoff = BACKOFF_FIRST_MS;
    reconnectAttempts = 0;
    setStatus('');
    showScreen('meeting');
  }

  function onError(error) {
    hc.errors.push({ code: error.code, message: error.message, request: error.request });
    if (onAccessError(error)) return;
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
        setStatus(PLAIN_WORDS['media-unavailable'], 'error');
        if (error.request === 'join') {
          hc.state = 'reconnecting';
          clearTimeout(reconnectTimer);
          reconnectTimer = setTimeout(() => { hc.state = 'joining'; send(joinMessage()); }, BACKOFF_MAX_MS);
        }
        break;
      case 'bad-name':
      case 'bad-room':
      case 'unsupported-version':
        backToPrejoin(PLAIN_WORDS[error.code]);
        break;
      case 'stale-answer':
      case 'already-joined':
        break;            // harmless races, kept in hc.errors only
      default:
        setStatus(PLAIN_WORDS[error.code] || error.message, 'error');
    }
  }

  // ---- WebRTC -----------------------------------------------------------------------------

  /**
   * The peer connection, made at the first offer. `iceServers` (the TURN relay and a fresh
   * credential, when the server has TURN: docs/protocol.md) go into it at creation, and into the
   * running one before each later offer, so that ICE always gathers with an unexpired credential.
   */
  function peerConnection(iceServers) {
    if (iceServers) hc.turnUrls = iceServers.flatMap((s) => [].concat(s.urls));
    if (hc.pc) {
      if (iceServers) hc.pc.setConfiguration({ ...hc.pc.getConfiguration(), iceServers });
      return hc.pc;
    }
    const config = { bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' };
    if (iceServers) config.iceServers = iceServers;
    const pc = new RTCPeerConnection(e2ee.pcConfig(config));
    pc.ontrack = () => attachRemoteTracks();
    pc.onconnectionstatechange = () => {
      if (pc !== hc.pc) return;
      if (pc.connectionState === 'failed') {
        setStatus('Could not reach the media server. Your network may block it.', 'error');
      } else if (pc.connectionState === 'disconnected') {
        setStatus('Media connection interrupted…', 'warning');
      } else if (pc.connectionState === 'connected' && hc.state === 'joined') {
        setStatus('');
      }
    };
    hc.pc = pc;
    return pc;
  }

  async function answer(offer) {
    const pc = peerConnection(Array.isArray(offer.iceServers) ? offer.iceServers : null);
    for (const t of offer.tracks || []) {
      hc.tracks[t.mid] = { participant: t.participant, kind: t.kind };
    }
    e2ee.tracks(hc.tracks);
    await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    for (const transceiver of pc.getTransceivers()) {
      const mid = transceiver.mid;
      if ((mid === 'a' || mid === 'v') && !published.has(mid)) {
        const kind = mid === 'a' ? 'audio' : 'video';   // e2ee.sender attaches the track (maybe after the answer)
        await e2ee.sender(pc, transceiver.sender, kind, kind === 'audio' ? audioTrack() : videoTrack());
        transceiver.direction = 'sendonly';
        published.add(mid);
      } else if (mid !== 'a' && mid !== 'v' && hc.tracks[mid]) {
        e2ee.receiver(transceiver.receiver, mid, hc.tracks[mid].kind);
      }
    }
    await pc.setLocalDescription(await pc.createAnswer());
    send({ type: 'answer', version: offer.version, sdp: pc.localDescription.sdp });
    attachRemoteTracks();
  }

  /** Puts every receiving transceiver's track into its participant's MediaStream and tile. */
  function attachRemoteTracks() {
    const pc = hc.pc;
    if (!pc) return;
    for (const transceiver of pc.getTransceivers()) {
      const info = hc.tracks[transceiver.mid];
      const track = transceiver.receiver && transceiver.receiver.track;
      if (!info || !track || transceiver.mid === 'a' || transceiver.mid === 'v') continue;
      if (transceiver.currentDirection === 'inactive' || transceiver.direction === 'inactive') continue;
      if (info.participant === hc.participantId || departed.has(info.participant)) continue;
      let stream = streams.get(info.participant);
      if (!stream) {
        stream = new MediaStream();
        streams.set(info.participant, stream);
      }
      if (!stream.getTracks().includes(track)) {
        for (const old of stream.getTracks()) {
          if (old.kind === track.kind) stream.removeTrack(old);
        }
        stream.addTrack(track);
      }
      const tile = ensureTile(info.participant);
      const video = tile.querySelector('video');
      const audio = tile.querySelector('audio');
      if (video.srcObject !== stream) video.srcObject = stream;
      if (audio.srcObject !== stream) {
        audio.srcObject = stream;
        audio.play().catch(() => askForSound());
      }
    }
  }

  function askForSound() {
    setStatus('Click or tap anywhere to turn on sound.', 'warning');
    document.addEventListener('click', () => {
      document.querySelectorAll('#grid audio').forEach((a) => a.play().catch(() => {}));
      setStatus('');
    }, { once: true });
  }

  // ---- tiles ------------------------------------------------------------------------------

  function ensureTile(id) {
    let tile = document.querySelector('#grid [data-participant="' + CSS.escape(id) + '"]');
    if (tile) return tile;
    tile = document.createElement('figure');
    tile.className = 'tile';
    tile.dataset.participant = id;
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    video.muted = true;             // sound comes from the <audio> element (or nowhere, for ourselves)
    tile.appendChild(video);
    if (id === 'self') {
      video.classList.add('mirrored');
      video.srcObject = local;
    } else {
      const audio = document.createElement('audio');
      audio.autoplay = true;
      tile.appendChild(audio);
    }
    const avatar = document.createElement('div');
    avatar.className = 'avatar';
    avatar.setAttribute('aria-hidden', 'true');
    tile.appendChild(avatar);
    const caption = document.createElement('figcaption');
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = '…';
    const mic = document.createElement('span');
    mic.className = 'badge mic-off';
    mic.textContent = 'mic off';
    const cam = document.createElement('span');
    cam.className = 'badge cam-off';
    cam.textContent = 'camera off';
    caption.append(name, mic, cam);
    tile.appendChild(caption);
    const grid = $('grid');
    if (id === 'self') grid.prepend(tile); else grid.appendChild(tile);
    grid.dataset.count = String(grid.children.length);
    return tile;
  }

  function updateTile(id, info) {
    if (id === 'self' && hc.state !== 'joined' && hc.state !== 'reconnecting' && hc.state !== 'joining') return;
    const tile = ensureTile(id);
    const name = info.name || '…';
    tile.querySelector('.name').textContent = name;
    tile.querySelector('.avatar').textContent = name.trim().charAt(0).toUpperCase();
    tile.querySelector('.mic-off').hidden = info.audio !== false;
    tile.querySelector('.cam-off').hidden = info.video !== false;
    tile.classList.toggle('no-video', info.video === false);
    tile.setAttribute('aria-label', name + (info.audio === false ? ', microphone off' : '')
      + (info.video === false ? ', camera off' : ''));
  }

  function removeTile(id) {
    const tile = document.querySelector('#grid [data-participant="' + CSS.escape(id) + '"]');
    if (tile) tile.remove();
    streams.delete(id);
    $('grid').dataset.count = String($('grid').children.length);
  }

  // ---- screens and buttons ----------------------------------------------------------------

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
    pcGeneration += 1;
    offers = Promise.resolve();
    if (hc.pc) hc.pc.close();
    hc.pc = null;
    hc.tracks = {};
    published = new Set();
    streams.clear();
    setStatus('Reconnecting media…', 'warning');
  }

  function resetMeeting() {
    pcGeneration += 1;
    offers = Promise.resolve();
    if (hc.pc) hc.pc.close();
    hc.pc = null;
    hc.tracks = {};
    hc.participants = {};
    published = new Set();
    streams.clear();
    departed.clear();
    $('grid').replaceChildren();
  }

  async function join() {
    if (!local) await startPreview();
    hc.state = 'joining';
    backoff = BACKOFF_FIRST_MS;
    setStatus('Connecting…');
    showScreen('meeting');
    await loadConfig();
    connect();
  }

  function leave(message) {
    send({ type: 'leave' });
    hc.state = 'left';
    clearTimeout(reconnectTimer);
    stopPing();
    resetMeeting();
    token = null;
    hc.participantId = null;
    if (hc.ws) hc.ws.close();
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

  // ---- moderation, password and lobby (docs/protocol.md) ---------------------------------------

  const ACCESS_WORDS = {
    'password-required': 'This meeting has a password. Please enter it to join.',
    'wrong-password': 'That password is not right. Please check it and try again.',
    'not-moderator': 'Only the moderator can do that.',
    'unknown-participant': 'That person is no longer here.',
  };

  /** Server messages of moderation and the lobby. */
  function onAccessMessage(message) {
    switch (message.type) {
      case 'moderator':
        hc.moderator = message.participant || null;
        refreshModeration();
        break;
      case 'room-settings':
        hc.lobby = !!message.lobby;
        hc.passwordSet = !!message.password;
        refreshModeration();
        break;
      case 'muted':
        hc.mutedBy = message.by || null;
        micOn = false;
        send({ type: 'mute', ...applyMute() });
        setStatus('The moderator muted your microphone. You can turn it back on when you want to speak.', 'warning');
        break;
      case 'removed':
        hc.removed = true;
        leave();                        // the peer connection closes now: no more media either way
        showScreen('left');
        $('left-reason').textContent = 'The moderator removed you from the meeting.';
        $('left-reason').hidden = false;
        break;
      case 'lobby':
        hc.waiting = true;
        hc.refused = false;
        $('lobby-title').textContent = 'Waiting for the moderator to let you in…';
        $('lobby-text').textContent = 'The moderator has been told you are here. You can keep this page open.';
        $('lobby-again').hidden = true;
        setStatus('');
        showScreen('lobby');
        break;
      case 'refused':
        hc.waiting = false;
        hc.refused = true;
        hc.state = 'refused';
        $('lobby-title').textContent = 'The moderator did not let you in';
        $('lobby-text').textContent = 'You can ask again, or come back later.';
        $('lobby-again').hidden = false;
        showScreen('lobby');
        break;
      case 'knock':
        hc.knocks[message.participant] = message.name;
        renderKnocks();
        break;
      case 'knock-cancelled':
        delete hc.knocks[message.participant];
        renderKnocks();
        break;
      default:
        break;            // newer servers may send more; ignore what we do not know
    }
  }

  /** Password errors bring up the prompt; true when the error was handled here. */
  function onAccessError(error) {
    switch (error.code) {
      case 'password-required':
      case 'wrong-password':
      case 'too-many-attempts':
        hc.state = 'password';
        setStatus('');
        showPasswordPrompt(error.code === 'too-many-attempts'
          ? 'Too many wrong passwords for this meeting. Please wait ' + (error.retryAfter || 60)
            + ' seconds and try again.'
          : ACCESS_WORDS[error.code]);
        return true;
      case 'not-moderator':
      case 'unknown-participant':
        setStatus(ACCESS_WORDS[error.code], 'warning');
        return true;
      default:
        return false;
    }
  }

  function showPasswordPrompt(text) {
    showScreen('password');
    $('password-error').textContent = text;
    $('password-error').hidden = !text;
    $('room-password').value = '';
    $('room-password').focus();
  }

  /** Joins again on the open socket (or a new one) after the password prompt or a refusal. */
  function askAgain() {
    hc.state = 'joining';
    setStatus('Connecting…');
    showScreen('meeting');
    if (hc.ws && hc.ws.readyState === WebSocket.OPEN) send(joinMessage()); else connect();
  }

  function refreshModeration() {
    hc.isModerator = !!hc.participantId && hc.moderator === hc.participantId;
    $('moderator-panel').hidden = !hc.isModerator;
    toggleLabel($('lobby-toggle'), hc.lobby, 'Lobby on: newcomers wait for you', 'Lobby off');
    $('room-lock').textContent = hc.passwordSet
      ? (hc.lobby ? 'Password set; newcomers also wait in the lobby.' : 'Newcomers need the password.')
      : (hc.lobby ? 'Newcomers wait in the lobby until you let them in.' : 'Anyone with the link can join.');
    $('clear-password').hidden = !hc.passwordSet;
    $('set-password').textContent = hc.passwordSet ? 'Change password' : 'Set password';
    if (!hc.isModerator) {
      hc.knocks = {};
      renderKnocks();
    }
    for (const tile of document.querySelectorAll('#grid .tile')) decorateTile(tile.dataset.participant);
  }

  /** The moderator badge, and for the moderator: mute / remove / make moderator on others' tiles. */
  function decorateTile(id) {
    const tile = document.querySelector('#grid [data-participant="' + CSS.escape(id) + '"]');
    if (!tile) return;
    const caption = tile.querySelector('figcaption');
    const who = id === 'self' ? hc.participantId : id;
    let badge = caption.querySelector('.moderator');
    if (!badge) {
      badge = document.createElement('span');
      badge.className = 'badge moderator';
      badge.textContent = 'moderator';
      caption.appendChild(badge);
    }
    badge.hidden = !who || who !== hc.moderator;
    let actions = caption.querySelector('.mod-actions');
    if (id === 'self' || !hc.isModerator) {
      if (actions) actions.remove();
      return;
    }
    if (actions) return;
    const name = () => (hc.participants[id] && hc.participants[id].name) || 'this person';
    actions = document.createElement('span');
    actions.className = 'mod-actions';
    const button = (cls, text, label, onClick) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = cls;
      b.textContent = text;
      b.addEventListener('click', () => { b.setAttribute('aria-label', label()); onClick(); });
      b.setAttribute('aria-label', label());
      actions.appendChild(b);
    };
    button('mod-mute', 'Mute', () => 'Mute ' + name(), () => send({ type: 'mute-participant', participant: id }));
    button('mod-moderator', 'Make moderator', () => 'Make ' + name() + ' the moderator',
      () => send({ type: 'hand-over', participant: id }));
    button('mod-remove danger', 'Remove', () => 'Remove ' + name() + ' from the meeting',
      () => send({ type: 'remove-participant', participant: id }));
    caption.appendChild(actions);
  }

  function renderKnocks() {
    const list = $('knocks');
    list.replaceChildren();
    for (const [id, name] of Object.entries(hc.knocks)) {
      const item = document.createElement('li');
      item.dataset.participant = id;
      const who = document.createElement('span');
      who.className = 'who';
      who.textContent = name + ' is waiting to join';
      const admit = document.createElement('button');
      admit.type = 'button';
      admit.className = 'primary admit';
      admit.textContent = 'Admit';
      admit.addEventListener('click', () => { send({ type: 'admit', participant: id }); delete hc.knocks[id]; renderKnocks(); });
      const refuse = document.createElement('button');
      refuse.type = 'button';
      refuse.className = 'secondary refuse';
      refuse.textContent = 'Refuse';
      refuse.addEventListener('click', () => { send({ type: 'refuse', participant: id }); delete hc.knocks[id]; renderKnocks(); });
      item.append(who, admit, refuse);
      list.appendChild(item);
    }
  }

  $('password-form').addEventListener('submit', (event) => {
    event.preventDefault();
    roomPassword = $('room-password').value;
    if (!roomPassword) {
      $('password-error').textContent = ACCESS_WORDS['password-required'];
      $('password-error').hidden = false;
      return;
    }
    askAgain();
  });
  $('lobby-again').addEventListener('click', () => askAgain());
  $('lobby-leave').addEventListener('click', () => { leave(); hc.waiting = false; showScreen('left'); });
  $('lobby-toggle').addEventListener('click', () => send({ type: 'lobby', on: !hc.lobby }));
  $('set-password-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = $('new-password').value;
    if (!value) return;
    send({ type: 'set-password', password: value });
    $('new-password').value = '';
    setStatus('Password set. Share it with the people you invite.');
  });
  $('clear-password').addEventListener('click', () => {
    send({ type: 'set-password', password: '' });
    setStatus('Password removed.');
  });

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
})();
