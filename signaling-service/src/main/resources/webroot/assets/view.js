/*
 * Tells the media node how this page shows the videos it receives (docs/protocol.md, `view`): for
 * each receiving video m-line, the height in device pixels its tile renders it at, 0 when the tile is
 * not shown. The node picks each video's simulcast layer by it: a small tile gets a small layer, a
 * hidden one none. Sent when a tile's size or visibility changes (debounced) and after every offer.
 */

const DEBOUNCE_MS = 250;

export class ViewReporter {
  /** state: the page's state (tracks: mid -> {participant, kind}); tiles: the TileGrid; send: to signaling. */
  constructor({ state, tiles, send }) {
    Object.assign(this, { state, tiles, send });
    this.sent = '';
    this.timer = null;
    this.observed = new WeakSet();
    this.resizes = new ResizeObserver(() => this.soon());
  }

  /** Reports after the layout settles; watches any new tile. */
  soon() {
    for (const tile of this.tiles.all()) {
      for (const element of [tile, tile.querySelector('video')]) {
        if (element && !this.observed.has(element)) {
          this.observed.add(element);
          this.resizes.observe(element);
        }
      }
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.report(), DEBOUNCE_MS);
  }

  /** The heights now: mid -> device pixels (0: not shown). */
  heights() {
    const heights = {};
    for (const [mid, info] of Object.entries(this.state.tracks || {})) {
      if (info.kind !== 'video' || mid === 'v') continue;
      const tile = this.tiles.find(info.participant);
      const video = tile && tile.querySelector('video');
      const shown = video && tile.isConnected && !tile.hidden && video.clientHeight > 0;
      heights[mid] = shown ? Math.round(video.clientHeight * (window.devicePixelRatio || 1)) : 0;
    }
    return heights;
  }

  report() {
    if (this.state.state !== 'joined') return;
    const heights = this.heights();
    const text = JSON.stringify(heights);
    if (text === this.sent || Object.keys(heights).length === 0) return;
    this.sent = text;
    this.send({ type: 'view', heights });
  }

  /** After leaving: the next meeting starts from nothing sent. */
  reset() {
    clearTimeout(this.timer);
    this.sent = '';
  }
}
