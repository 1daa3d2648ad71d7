/*
 * The meeting grid: one tile (<figure data-participant>) per participant, ours ('self') first,
 * each with a muted <video>, an <audio> for the others' sound, an avatar letter, the name and the
 * mic-off / camera-off badges. moderation.js adds its badge and buttons to the caption.
 */

export class TileGrid {
  /**
   * grid: the #grid element; selfStream(): our local MediaStream (or null) for our own tile;
   * onSoundBlocked(): the browser would not play sound before a user gesture.
   */
  constructor(grid, { selfStream, onSoundBlocked }) {
    this.grid = grid;
    this.selfStream = selfStream;
    this.onSoundBlocked = onSoundBlocked;
  }

  /** The tile of a participant id ('self' for ours), or null. */
  find(id) {
    return this.grid.querySelector('[data-participant="' + CSS.escape(id) + '"]');
  }

  /** All tiles, ours included. */
  all() {
    return Array.from(this.grid.querySelectorAll('.tile'));
  }

  ensure(id) {
    let tile = this.find(id);
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
      video.srcObject = this.selfStream();
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
    if (id === 'self') this.grid.prepend(tile); else this.grid.appendChild(tile);
    this.grid.dataset.count = String(this.grid.children.length);
    return tile;
  }

  /** Name and mute badges of a tile ({name, audio, video}); makes the tile if needed. */
  update(id, info) {
    const tile = this.ensure(id);
    const name = info.name || '…';
    tile.querySelector('.name').textContent = name;
    tile.querySelector('.avatar').textContent = name.trim().charAt(0).toUpperCase();
    tile.querySelector('.mic-off').hidden = info.audio !== false;
    tile.querySelector('.cam-off').hidden = info.video !== false;
    tile.classList.toggle('no-video', info.video === false);
    tile.setAttribute('aria-label', name + (info.audio === false ? ', microphone off' : '')
      + (info.video === false ? ', camera off' : ''));
  }

  /** Shows a participant's received MediaStream in its tile (video, and sound through <audio>). */
  show(id, stream) {
    const tile = this.ensure(id);
    const video = tile.querySelector('video');
    const audio = tile.querySelector('audio');
    if (video.srcObject !== stream) video.srcObject = stream;
    if (audio.srcObject !== stream) {
      audio.srcObject = stream;
      audio.play().catch(() => this.onSoundBlocked());
    }
  }

  /** Marks the tile of whoever holds the floor (the media node's dominant speaker); ours is 'self'. */
  speaking(id) {
    for (const tile of this.all()) tile.classList.toggle('speaking', tile.dataset.participant === id);
  }

  /** Plays every tile's sound (after a user gesture). */
  playAll() {
    this.grid.querySelectorAll('audio').forEach((a) => a.play().catch(() => {}));
  }

  remove(id) {
    const tile = this.find(id);
    if (tile) tile.remove();
    this.grid.dataset.count = String(this.grid.children.length);
  }

  clear() {
    this.grid.replaceChildren();
  }
}
