import assert from "node:assert/strict";
import { test } from "node:test";

import { ApiError, Autosaver, NetworkError, editorDataLoad } from "../../static/goldset/js/api.js";

/** Timers the test fires by hand, so nothing waits on the clock. */
function manualTimers() {
  const pending = new Map();
  let next = 1;
  return {
    setTimeout(callback, delay) {
      pending.set(next, { callback, delay });
      return next++;
    },
    clearTimeout(id) {
      pending.delete(id);
    },
    delays: () => [...pending.values()].map((timer) => timer.delay),
    async fire() {
      const timers = [...pending.values()];
      pending.clear();
      for (const timer of timers) timer.callback();
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

/** A saver over a fake server whose answers the test scripts. */
function saverWith(answers) {
  const timers = manualTimers();
  const sent = [];
  const saver = new Autosaver({
    version: 1,
    payload: (version) => ({ version }),
    save: async (payload) => {
      sent.push(payload);
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return answer;
    },
    delay: 500,
    retryDelays: [1000, 5000],
    timers,
  });
  return { saver, timers, sent };
}

test("changes close together are saved once, after the pause", async () => {
  const { saver, timers, sent } = saverWith([{ version: 2 }]);
  saver.changed();
  saver.changed();
  assert.equal(saver.status, "pending");
  assert.deepEqual(timers.delays(), [500]);
  await timers.fire();
  assert.deepEqual(sent, [{ version: 1 }]);
  assert.equal(saver.status, "saved");
  assert.equal(saver.version, 2);
  assert.equal(saver.dirty, false);
});

test("a network failure keeps the changes unsaved and retries with backoff", async () => {
  const { saver, timers, sent } = saverWith([new NetworkError("offline"), new NetworkError("offline"), { version: 2 }]);
  saver.changed();
  await timers.fire();
  assert.equal(saver.status, "offline");
  assert.equal(saver.dirty, true);
  assert.match(saver.message, /Retrying in 1 s/);
  assert.deepEqual(timers.delays(), [1000]);
  await timers.fire();
  assert.deepEqual(timers.delays(), [5000]);
  await timers.fire();
  assert.equal(saver.status, "saved");
  assert.equal(sent.length, 3);
});

test("a throttled save waits as long as the server asks, then saves what was kept", async () => {
  const throttled = new ApiError(429, "Too many writes: try again in 7 seconds.", { retry_after: 7 });
  const { saver, timers, sent } = saverWith([throttled, { version: 2 }]);
  saver.changed();
  await timers.fire();
  assert.equal(saver.status, "offline");
  assert.equal(saver.dirty, true);
  assert.match(saver.message, /Retrying in 7 s/);
  assert.deepEqual(timers.delays(), [7000]);
  await timers.fire();
  assert.equal(saver.status, "saved");
  assert.equal(sent.length, 2);
});

test("a conflict stops saving until the annotator decides, and keeping theirs loses nothing", async () => {
  const conflict = new ApiError(409, "Saved elsewhere: version 5.", { version: 5 });
  const { saver, timers, sent } = saverWith([conflict, { version: 6 }]);
  saver.changed();
  await timers.fire();
  assert.equal(saver.status, "conflict");
  saver.changed();
  assert.deepEqual(timers.delays(), []);
  await saver.keepMine();
  assert.deepEqual(sent.at(-1), { version: 5 });
  assert.equal(saver.version, 6);
  assert.equal(saver.status, "saved");
});

test("adopting the server's version after a conflict leaves nothing to save", async () => {
  const { saver, timers } = saverWith([new ApiError(409, "Saved elsewhere.", { version: 3 })]);
  saver.changed();
  await timers.fire();
  saver.adopt(3);
  assert.equal(saver.dirty, false);
  assert.equal(saver.version, 3);
  assert.equal(saver.status, "saved");
});

test("a change made while a save is in flight is saved after it", async () => {
  const { saver, timers, sent } = saverWith([{ version: 2 }, { version: 3 }]);
  saver.changed();
  await timers.fire();
  saver.changed();
  await saver.flush();
  assert.deepEqual(sent, [{ version: 1 }, { version: 2 }]);
  assert.equal(saver.dirty, false);
});

test("a refused save reports the server's reasons and is not retried by itself", async () => {
  const refused = new ApiError(400, "The layer was not saved: 1 problems.", {
    errors: [{ field: "spans[0].label", message: "Unknown entity type 'XYZ'." }],
  });
  const { saver, timers } = saverWith([refused]);
  saver.changed();
  await timers.fire();
  assert.equal(saver.status, "rejected");
  assert.match(saver.message, /spans\[0\]\.label: Unknown entity type/);
  assert.deepEqual(timers.delays(), []);
});

/** A fetch answering `body` with `status` and `type`, recording the requests it got. */
function fetchAnswering(body, { status = 200, type = "application/json" } = {}) {
  const requests = [];
  const request = async (...args) => {
    requests.push(args);
    return new Response(body, { status, headers: { "Content-Type": type } });
  };
  return { request, requests };
}

test("the editor's data is fetched with a plain GET, so the page's preload is used", async () => {
  const { request, requests } = fetchAnswering(JSON.stringify({ text: "Homs", tokens: [0, 4] }));
  assert.deepEqual(await editorDataLoad("/annotations/7/editor-data/", { request }), { text: "Homs", tokens: [0, 4] });
  assert.deepEqual(requests, [["/annotations/7/editor-data/"]]); // no options: no headers, no mode
});

test("the editor's data refused by the server says the server's message", async () => {
  const { request } = fetchAnswering(JSON.stringify({ message: "No annotation layer 7." }), { status: 404 });
  await assert.rejects(editorDataLoad("/annotations/7/editor-data/", { request }), (error) => {
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 404);
    assert.equal(error.message, "No annotation layer 7.");
    return true;
  });
});

test("a sign-in page instead of the editor's data says to reload the page", async () => {
  const { request } = fetchAnswering("<!doctype html><title>Sign in</title>", { type: "text/html; charset=utf-8" });
  await assert.rejects(editorDataLoad("/annotations/7/editor-data/", { request }), /sent no document \(are you signed out\?\)\. Reload the page\./);
});

test("the editor's data not answered at all is a network error", async () => {
  const request = async () => {
    throw new TypeError("Failed to fetch");
  };
  await assert.rejects(editorDataLoad("/annotations/7/editor-data/", { request }), (error) => {
    assert.ok(error instanceof NetworkError);
    assert.match(error.message, /did not answer \(Failed to fetch\)/);
    return true;
  });
});
