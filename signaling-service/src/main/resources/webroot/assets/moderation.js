/*
 * Moderation, password and lobby (docs/protocol.md): the moderator panel (lobby switch, room
 * password, the knocks of those waiting), the moderator badge and the mute / make moderator /
 * remove buttons on tiles, and for everyone the password prompt and the lobby screen.
 */

import { $, toggleLabel } from './dom.js';

const ACCESS_WORDS = {
  'password-required': 'This meeting has a password. Please enter it to join.',
  'wrong-password': 'That password is not right. Please check it and try again.',
  'not-moderator': 'Only the moderator can do that.',
  'unknown-participant': 'That person is no longer here.',
};

export class Moderation {
  /**
   * state: the page's observable state (moderator, isModerator, lobby, passwordSet, waiting,
   * refused, knocks, removed, mutedBy, state); tiles: the TileGrid; send(message); setStatus(text,
   * kind); showScreen(name); leave(); muteMicrophone(): turns our microphone off and tells the
   * server; setPassword(text): the room password for our next join; askAgain(): joins again.
   * Wires the panel's and the screens' buttons.
   */
  constructor(deps) {
    Object.assign(this, deps);
    this.wire();
  }

  /** Server messages of moderation and the lobby; ignores what it does not know. */
  onMessage(message) {
    const hc = this.state;
    switch (message.type) {
      case 'moderator':
        hc.moderator = message.participant || null;
        this.refresh();
        break;
      case 'room-settings':
        hc.lobby = !!message.lobby;
        hc.passwordSet = !!message.password;
        this.refresh();
        break;
      case 'muted':
        hc.mutedBy = message.by || null;
        this.muteMicrophone();
        this.setStatus('The moderator muted your microphone. You can turn it back on when you want to speak.', 'warning');
        break;
      case 'removed':
        hc.removed = true;
        this.leave();                   // the peer connection closes now: no more media either way
        this.showScreen('left');
        $('left-reason').textContent = 'The moderator removed you from the meeting.';
        $('left-reason').hidden = false;
        break;
      case 'lobby':
        hc.waiting = true;
        hc.refused = false;
        $('lobby-title').textContent = 'Waiting for the moderator to let you in…';
        $('lobby-text').textContent = 'The moderator has been told you are here. You can keep this page open.';
        $('lobby-again').hidden = true;
        this.setStatus('');
        this.showScreen('lobby');
        break;
      case 'refused':
        hc.waiting = false;
        hc.refused = true;
        hc.state = 'refused';
        $('lobby-title').textContent = 'The moderator did not let you in';
        $('lobby-text').textContent = 'You can ask again, or come back later.';
        $('lobby-again').hidden = false;
        this.showScreen('lobby');
        break;
      case 'knock':
        hc.knocks[message.participant] = message.name;
        this.renderKnocks();
        break;
      case 'knock-cancelled':
        delete hc.knocks[message.participant];
        this.renderKnocks();
        break;
      default:
        break;            // newer servers may send more
    }
  }

  /** Password errors bring up the prompt; true when the error was handled here. */
  onError(error) {
    switch (error.code) {
      case 'password-required':
      case 'wrong-password':
      case 'too-many-attempts':
        this.state.state = 'password';
        this.setStatus('');
        this.showPasswordPrompt(error.code === 'too-many-attempts'
          ? 'Too many wrong passwords for this meeting. Please wait ' + (error.retryAfter || 60)
            + ' seconds and try again.'
          : ACCESS_WORDS[error.code]);
        return true;
      case 'not-moderator':
      case 'unknown-participant':
        this.setStatus(ACCESS_WORDS[error.code], 'warning');
        return true;
      default:
        return false;
    }
  }

  showPasswordPrompt(text) {
    this.showScreen('password');
    $('password-error').textContent = text;
    $('password-error').hidden = !text;
    $('room-password').value = '';
    $('room-password').focus();
  }

  /** Whether we moderate, the panel, and every tile's badge and buttons. */
  refresh() {
    const hc = this.state;
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
      this.renderKnocks();
    }
    for (const tile of this.tiles.all()) this.decorate(tile.dataset.participant);
  }

  /** The moderator badge, and for the moderator: mute / remove / make moderator on others' tiles. */
  decorate(id) {
    const hc = this.state;
    const tile = this.tiles.find(id);
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
    button('mod-mute', 'Mute', () => 'Mute ' + name(), () => this.send({ type: 'mute-participant', participant: id }));
    button('mod-moderator', 'Make moderator', () => 'Make ' + name() + ' the moderator',
      () => this.send({ type: 'hand-over', participant: id }));
    button('mod-remove danger', 'Remove', () => 'Remove ' + name() + ' from the meeting',
      () => this.send({ type: 'remove-participant', participant: id }));
    caption.appendChild(actions);
  }

  renderKnocks() {
    const hc = this.state;
    const list = $('knocks');
    list.replaceChildren();
    const answer = (type, id) => { this.send({ type, participant: id }); delete hc.knocks[id]; this.renderKnocks(); };
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
      admit.addEventListener('click', () => answer('admit', id));
      const refuse = document.createElement('button');
      refuse.type = 'button';
      refuse.className = 'secondary refuse';
      refuse.textContent = 'Refuse';
      refuse.addEventListener('click', () => answer('refuse', id));
      item.append(who, admit, refuse);
      list.appendChild(item);
    }
  }

  wire() {
    $('password-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const password = $('room-password').value;
      this.setPassword(password);
      if (!password) {
        $('password-error').textContent = ACCESS_WORDS['password-required'];
        $('password-error').hidden = false;
        return;
      }
      this.askAgain();
    });
    $('lobby-again').addEventListener('click', () => this.askAgain());
    $('lobby-leave').addEventListener('click', () => { this.leave(); this.state.waiting = false; this.showScreen('left'); });
    $('lobby-toggle').addEventListener('click', () => this.send({ type: 'lobby', on: !this.state.lobby }));
    $('set-password-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const value = $('new-password').value;
      if (!value) return;
      this.send({ type: 'set-password', password: value });
      $('new-password').value = '';
      this.setStatus('Password set. Share it with the people you invite.');
    });
    $('clear-password').addEventListener('click', () => {
      this.send({ type: 'set-password', password: '' });
      this.setStatus('Password removed.');
    });
  }
}
