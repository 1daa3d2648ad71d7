/*
 * The pages' observable state, for browser tests and for debugging from the console. Modules share
 * nothing through window: each imports what it needs. Only the entry module of a page (room.js,
 * check.js) calls publish() once, which puts these objects on window; the modules keep them up to
 * date in place, so window.huisclos.pc is always the current peer connection, and so on.
 *
 * window.huisclos (the meeting page, `meeting` below):
 *   state         'prejoin' | 'joining' | 'joined' | 'reconnecting' | 'password' | 'refused' | 'left'
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
 *   speaker       the participant id who holds the floor, from the media node's `speaker` (null before)
 *   turnUrls      the TURN URLs of the last offer's `iceServers` applied to pc ([] without TURN;
 *                 never the credential)
 *
 * window.huisclosE2ee (the meeting page): the `e2ee` object of e2ee.js — enabled, damaged, mode,
 * stats, bypassed (described there).
 *
 * window.huisclosCheck (the /check page): the `check` object of check.js — state, steps, advice,
 * ok (described there).
 */

/** The meeting page's state; modules change its fields, never replace the object. */
export const meeting = {
  state: 'prejoin', participantId: null, pc: null, turnUrls: [], tracks: {}, participants: {}, errors: [], ws: null,
  signalingUrls: [],
  moderator: null, isModerator: false, lobby: false, passwordSet: false, waiting: false, refused: false,
  knocks: {}, removed: false, mutedBy: null, speaker: null,
};

/** Puts a page's observable objects on window: {huisclos, huisclosE2ee} or {huisclosCheck}. */
export function publish(objects) {
  for (const [name, object] of Object.entries(objects)) window[name] = object;
}
