import assert from "node:assert/strict";
import { test } from "node:test";

import { ApiError, submitEndorsed } from "../../static/goldset/js/api.js";

/** A fake server: refuses a submit without accept_pending while `pending` items wait. */
function server(pending) {
  const calls = [];
  const request = async (method, url, body) => {
    calls.push(body);
    if (pending && !body.accept_pending) {
      throw new ApiError(409, `${pending} predictions not reviewed: accept them all and submit, or go back.`, { pending });
    }
    return { status: "submitted", version: body.version + (pending ? 1 : 0), next: null };
  };
  return { calls, request };
}

test("a layer with nothing pending is submitted without asking", async () => {
  const { calls, request } = server(0);
  const confirm = () => assert.fail("nothing to confirm");
  const answer = await submitEndorsed({ url: "/submit/", version: 3, confirm, request });
  assert.equal(answer.status, "submitted");
  assert.deepEqual(calls, [{ version: 3 }]);
});

test("pending predictions are accepted and submitted once the annotator agrees", async () => {
  const { calls, request } = server(129);
  const asked = [];
  const confirm = async (pending, message) => {
    asked.push([pending, message]);
    return true;
  };
  const answer = await submitEndorsed({ url: "/submit/", version: 3, confirm, request });
  assert.equal(answer.version, 4);
  assert.deepEqual(asked, [[129, "129 predictions not reviewed: accept them all and submit, or go back."]]);
  assert.deepEqual(calls, [{ version: 3 }, { version: 3, accept_pending: true }]);
});

test("going back submits nothing", async () => {
  const { calls, request } = server(2);
  const answer = await submitEndorsed({ url: "/submit/", version: 1, confirm: async () => false, request });
  assert.equal(answer, null);
  assert.deepEqual(calls, [{ version: 1 }]);
});

test("a stale version is an error, not a question", async () => {
  const request = async () => {
    throw new ApiError(409, "This layer was saved elsewhere", { version: 5 });
  };
  const confirm = () => assert.fail("not a pending question");
  await assert.rejects(submitEndorsed({ url: "/submit/", version: 1, confirm, request }), /saved elsewhere/);
});
