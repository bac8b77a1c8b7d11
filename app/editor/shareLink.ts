/**
 * Shared links: the experiment travels in the URL's fragment (`#experiment=v1.…`), which browsers
 * never send to the server, so a link works from any static host and leaks nothing to it.
 */
import type { ExperimentFile } from '../../src/graph/schema';
import { decodeShareCode, encodeShareCode } from '../../src/graph/shareCode';

const FRAGMENT_KEY = 'experiment';

/**
 * The link that opens `experiment` in this studio; throws ShareCodeError when it is too big for one.
 * The query (e.g. `?backend=`) is left out: it is this device's choice, not the experiment's.
 */
export function shareLinkFor(experiment: ExperimentFile, location: Location = window.location): string {
  return `${location.origin}${location.pathname}#${FRAGMENT_KEY}=${encodeShareCode(experiment)}`;
}

/** The share code in a URL fragment, or null when the fragment holds none. */
export function shareCodeInFragment(hash: string): string | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  return params.get(FRAGMENT_KEY);
}

/** Decodes the code (throws with what is wrong) after taking it out of the address bar, so a reload does not open it again. */
export function takeSharedExperiment(code: string): ExperimentFile {
  history.replaceState(history.state, '', `${window.location.pathname}${window.location.search}`);
  return decodeShareCode(code);
}
