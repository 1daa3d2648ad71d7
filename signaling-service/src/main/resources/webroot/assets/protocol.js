/*
 * The client protocol of docs/protocol.md over /ws, for the meeting page and the /check page:
 * where the sockets go, the messages a client starts with, and two kinds of connection —
 * `Signaling`, the meeting's long-lived one (ping, reconnection with backoff across the signaling
 * instances), and `openExchange`, a short one that reads messages in order (the check's probes).
 */

export const PROTOCOL_VERSION = 1;
const PING_MS = 15000;
const BACKOFF_FIRST_MS = 500;
export const BACKOFF_MAX_MS = 5000;
const REMOVED = 4001;            // close code: the moderator removed us, never reconnect
const HANDED_OVER = 1012;        // close code: the instance stops and hands us to another one

/** The WebSocket URL of a base URL (http(s)://host:port) or of this page's origin. */
export function wsUrl(base) {
  const u = new URL(base || location.origin);
  return (u.protocol === 'https:' ? 'wss://' : 'ws://') + u.host + '/ws';
}

/** A `join` message; `extra` may add password, token, region. */
export function joinRequest({ room, name, audio, video }, extra) {
  return { type: 'join', v: PROTOCOL_VERSION, room, name, audio, video, ...extra };
}

/**
 * The signaling instances to try (GET /config), this page's own first. Without a list (or with an
 * unreachable /config) only the page's own instance. `report(text)` hears unusable entries.
 */
export function loadSignalingUrls(report) {
  const own = wsUrl(null);
  return fetch('/config', { cache: 'no-store' })
    .then((r) => (r.ok ? r.json() : { signalingUrls: [] }))
    .catch(() => ({ signalingUrls: [] }))
    .then((c) => {
      const urls = [own];
      for (const base of (Array.isArray(c.signalingUrls) ? c.signalingUrls : [])) {
        try {
          const url = wsUrl(base);
          if (!urls.includes(url)) urls.push(url);
        } catch (e) {
          report('unusable signaling URL in /config');
        }
      }
      return urls;
    });
}

/**
 * The meeting's connection to signaling. On open it sends `hello()` (a join or a resume); it pings,
 * and when the socket drops while `wanted()` it reconnects: the first attempt after a drop retries
 * the same instance, every later one the next of `urls`, with a doubling backoff. `pong` is handled
 * here (one carrying a `token` also goes to `onMessage`); every other message goes to `onMessage`.
 *
 * options: hello() -> message; onMessage(message); wanted() -> whether to reconnect;
 * onSocket(ws) for each new socket; onReconnecting() before a retry is scheduled; report(text).
 */
export class Signaling {
  constructor(options) {
    this.options = options;
    this.urls = [];
    this.ws = null;
    this.backoff = BACKOFF_FIRST_MS;
    this.urlIndex = 0;            // which of urls the next socket goes to
    this.attempts = 0;            // since we were last in the room: the first retries the same URL
    this.timer = null;            // the pending reconnection (or delayed rejoin)
    this.pingTimer = null;
    this.awaitingPong = false;
  }

  isOpen() {
    return !!this.ws && this.ws.readyState === WebSocket.OPEN;
  }

  send(message) {
    if (this.isOpen()) this.ws.send(JSON.stringify(message));
  }

  connect() {
    const urls = this.urls.length ? this.urls : [wsUrl(null)];
    const ws = new WebSocket(urls[this.urlIndex % urls.length]);
    this.ws = ws;
    this.options.onSocket(ws);
    ws.onopen = () => {
      this.startPing();
      this.send(this.options.hello());
    };
    ws.onmessage = (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        this.options.report('unreadable message from the server');
        return;
      }
      if (message.type === 'pong') this.awaitingPong = false;
      if (message.type !== 'pong' || message.token) this.options.onMessage(message);   // a pong may bring a fresh resume token
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.stopPing();
      if (event.code === REMOVED) return;
      if (this.options.wanted()) {
        if (event.code === HANDED_OVER) {   // go to the other instance, soon
          this.attempts = Math.max(this.attempts, 1);
          this.backoff = Math.min(this.backoff, 100);
        }
        this.scheduleReconnect();
      }
    };
  }

  scheduleReconnect() {
    this.options.onReconnecting();
    clearTimeout(this.timer);
    if (this.attempts > 0) this.urlIndex = (this.urlIndex + 1) % Math.max(this.urls.length, 1);
    this.attempts += 1;
    this.timer = setTimeout(() => this.connect(), this.backoff);
    this.backoff = Math.min(this.backoff * 2, BACKOFF_MAX_MS);
  }

  /** Runs `action` after `ms` instead of any pending reconnection; stop() cancels it. */
  later(action, ms) {
    clearTimeout(this.timer);
    this.timer = setTimeout(action, ms);
  }

  /** A fresh start (joining again): retries begin at the shortest backoff. */
  resetBackoff() {
    this.backoff = BACKOFF_FIRST_MS;
  }

  /** We are in the room: the next drop starts over with the same instance and a short backoff. */
  entered() {
    this.backoff = BACKOFF_FIRST_MS;
    this.attempts = 0;
  }

  /** No more reconnection or pings; closes the socket. */
  stop() {
    clearTimeout(this.timer);
    this.stopPing();
    if (this.ws) this.ws.close();
  }

  startPing() {
    this.stopPing();
    this.awaitingPong = false;
    this.pingTimer = setInterval(() => {
      if (this.awaitingPong && this.ws) {
        this.ws.close();          // two pings without a pong: the socket is dead, reconnect
        return;
      }
      this.awaitingPong = true;
      this.send({ type: 'ping' });
    }, PING_MS);
  }

  stopPing() {
    clearInterval(this.pingTimer);
    this.pingTimer = null;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A short-lived connection to this page's instance that reads messages one after another; resolves
 * to {send, next(deadline), leave()} once open, or null when the socket did not open within
 * `timeoutMs`. next() resolves to the next message, or null at the deadline or when the socket is
 * closed; leave() sends `leave` and closes.
 */
export async function openExchange(timeoutMs) {
  const ws = new WebSocket(wsUrl(null));
  const inbox = [];
  let wake = null;
  ws.onmessage = (event) => {
    try { inbox.push(JSON.parse(event.data)); } catch (e) { return; }
    if (wake) wake();
  };
  const leave = () => {
    if (ws.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify({ type: 'leave' }));
      ws.close();
    }
  };
  const closed = new Promise((resolve) => { ws.onclose = resolve; ws.onerror = resolve; });
  const opened = new Promise((resolve) => { ws.onopen = () => resolve(true); });
  if (!await Promise.race([opened, closed.then(() => false), sleep(timeoutMs).then(() => false)])) {
    leave();
    return null;
  }
  return {
    send: (message) => ws.send(JSON.stringify(message)),
    async next(deadline) {
      while (!inbox.length) {
        const left = deadline - Date.now();
        if (left <= 0 || ws.readyState !== WebSocket.OPEN) return null;
        await Promise.race([new Promise((resolve) => { wake = resolve; }), sleep(Math.min(left, 500))]);
      }
      return inbox.shift();
    },
    leave,
  };
}
