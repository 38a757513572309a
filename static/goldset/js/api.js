// API: talk to Goldset's REST API, and save a layer automatically with optimistic locking.
//
// `Autosaver` takes its `save` function and timers from outside, so its logic (debounce,
// retry with backoff, conflict) is tested with `node --test` without a browser or server.

/** A response with an error status: `message` and `extra` come from the server. */
export class ApiError extends Error {
  constructor(status, message, extra = {}) {
    super(message);
    this.status = status;
    this.extra = extra;
  }
}

/** The request never got an answer (offline, server down, timeout). */
export class NetworkError extends Error {}

/** Send a JSON request with the page's CSRF token; return the parsed answer or throw. */
export async function apiRequest(method, url, body = undefined, { csrfToken = "" } = {}) {
  let response;
  try {
    response = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...(csrfToken ? { "X-CSRFToken": csrfToken } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new NetworkError(`The server did not answer (${error.message}).`);
  }
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    const message = answer.message ?? `The server answered ${response.status}.`;
    throw new ApiError(response.status, message, answer.extra ?? {});
  }
  return answer;
}

/**
 * Load the editor's data from `url`, which the page's head preloads: a plain GET with no
 * headers of its own, or the browser would not use the preloaded answer. A sign-in page
 * instead of JSON (the session ended) or an error answer is thrown as an ApiError.
 */
export async function editorDataLoad(url, { request = fetch } = {}) {
  let response;
  try {
    response = await request(url);
  } catch (error) {
    throw new NetworkError(`The server did not answer (${error.message}).`);
  }
  const json = (response.headers.get("Content-Type") ?? "").startsWith("application/json");
  const answer = json ? await response.json().catch(() => null) : null;
  if (response.ok && answer) return answer;
  const message = json
    ? answer?.message ?? `The server answered ${response.status}.`
    : "The server sent no document (are you signed out?). Reload the page.";
  throw new ApiError(response.status, message, answer?.extra ?? {});
}

/**
 * Submit a layer saved at `version`. Submitting endorses every item, so while predictions
 * wait to be accepted the server answers 409 with their number in `extra.pending`; then
 * `confirm(pending, message)` decides: true accepts them all and submits (resolving to the
 * server's answer), false goes back (resolving to null). Other errors are thrown.
 *
 * @param {{url: string, version: number, confirm: (pending: number, message: string) => Promise<boolean>,
 *          csrfToken?: string, request?: typeof apiRequest}} options
 */
export async function submitEndorsed({ url, version, confirm, csrfToken = "", request = apiRequest }) {
  try {
    return await request("POST", url, { version }, { csrfToken });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 409 || !error.extra.pending) throw error;
    if (!(await confirm(error.extra.pending, error.message))) return null;
    return request("POST", url, { version, accept_pending: true }, { csrfToken });
  }
}

const RETRY_DELAYS = [1000, 2000, 5000, 10000, 30000];

/**
 * Save a layer a moment after each change, one save at a time.
 *
 * Status: "saved", "pending" (a change waits for the debounce), "saving", "offline" (the
 * last attempt failed on the network or the server; a retry is scheduled), "conflict"
 * (someone saved a newer version: nothing more is sent until `keepMine` or `adopt`) and
 * "rejected" (the server refused the content; sent again at the next change).
 */
export class Autosaver {
  /**
   * @param {{version: number, payload: (version: number) => object,
   *          save: (payload: object) => Promise<{version: number}>,
   *          onStatus?: (saver: Autosaver) => void, delay?: number,
   *          retryDelays?: number[], timers?: {setTimeout: Function, clearTimeout: Function}}} options
   */
  constructor({ version, payload, save, onStatus = () => {}, delay = 700, retryDelays = RETRY_DELAYS, timers = globalThis }) {
    this.version = version;
    this.payload = payload;
    this.save = save;
    this.onStatus = onStatus;
    this.delay = delay;
    this.retryDelays = retryDelays;
    this.timers = timers;
    this.status = "saved";
    this.message = "";
    this.conflict = null;
    this.changes = 0;
    this.savedChanges = 0;
    this.failures = 0;
    this.timer = null;
    this.running = null;
  }

  /** True while some change has not reached the server. */
  get dirty() {
    return this.changes !== this.savedChanges;
  }

  /** Note a change; it is saved after `delay` ms without another. */
  changed() {
    this.changes++;
    if (this.status === "conflict") return;
    this.failures = 0;
    this.schedule(this.delay, "pending");
  }

  /** Save now (after any save in flight); resolves when everything is saved. */
  async flush() {
    this.cancelTimer();
    if (this.running) await this.running;
    if (this.dirty && this.status !== "conflict") await this.attempt();
    if (this.dirty) throw new Error(this.message || "Changes are not saved yet.");
  }

  /** After a conflict: save this page's content over the newer version (kept in history). */
  keepMine() {
    if (!this.conflict) return Promise.resolve();
    this.version = this.conflict.version;
    this.conflict = null;
    this.status = "pending";
    return this.flush();
  }

  /** After a conflict: take the server's layer at `version` as the saved state. */
  adopt(version) {
    this.cancelTimer();
    this.version = version;
    this.conflict = null;
    this.savedChanges = this.changes;
    this.setStatus("saved", "");
  }

  schedule(delay, status) {
    this.cancelTimer();
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.attempt();
    }, delay);
    this.setStatus(status, status === "pending" ? "" : this.message);
  }

  cancelTimer() {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  attempt() {
    if (this.running) return this.running;
    this.running = this.send().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  async send() {
    const changes = this.changes;
    this.setStatus("saving", "");
    try {
      const saved = await this.save(this.payload(this.version));
      this.version = saved.version;
      this.savedChanges = changes;
      this.failures = 0;
      if (this.dirty) this.schedule(this.delay, "pending");
      else this.setStatus("saved", "");
    } catch (error) {
      this.failed(error);
    }
  }

  failed(error) {
    if (error instanceof ApiError && error.status === 409) {
      this.conflict = { message: error.message, ...error.extra };
      this.setStatus("conflict", error.message);
    } else if (error instanceof ApiError && error.status === 429) {
      // Throttled: the server says when to come back; nothing is lost meanwhile.
      const wait = Math.max(1, Number(error.extra.retry_after) || 1) * 1000;
      this.message = `Not saved yet: ${error.message} Retrying in ${Math.round(wait / 1000)} s.`;
      this.schedule(wait, "offline");
    } else if (error instanceof ApiError && error.status < 500) {
      const details = (error.extra.errors ?? []).map((item) => `${item.field}: ${item.message}`);
      this.setStatus("rejected", [error.message, ...details].join(" "));
    } else {
      const wait = this.retryDelays[Math.min(this.failures, this.retryDelays.length - 1)];
      this.failures++;
      this.message = `Not saved: ${error.message} Retrying in ${Math.round(wait / 1000)} s.`;
      this.schedule(wait, "offline");
    }
  }

  setStatus(status, message) {
    this.status = status;
    this.message = message;
    this.onStatus(this);
  }
}
