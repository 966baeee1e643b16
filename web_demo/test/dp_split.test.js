// The web demo's DP split gain: the views' difference scaled about their mean, C untouched.
import {test} from "node:test";
import assert from "node:assert/strict";

import {amplifySplit, checkSplitGain, MAX_SPLIT_GAIN} from "../src/dp_split.js";

function view(seed) {
  const data = new Float32Array(4 * 5 * 3);
  for (let i = 0; i < data.length; i++) data[i] = 0.3 + 0.4 * (((i * 7 + seed) % 200) / 199);
  return {height: 4, width: 5, channels: 3, data};
}

test("gain 1 returns the views as recorded", () => {
  const left = view(1), right = view(9);
  const [l, r] = amplifySplit(left, right, 1);
  assert.equal(l, left);
  assert.equal(r, right);
});

test("the difference is scaled and the mean kept", () => {
  const left = view(1), right = view(9);
  const [l, r] = amplifySplit(left, right, 2.5);
  assert.deepEqual([l.height, l.width, l.channels], [4, 5, 3]);
  for (let i = 0; i < left.data.length; i++) {
    assert.ok(Math.abs((l.data[i] - r.data[i]) - 2.5 * (left.data[i] - right.data[i])) < 1e-5, `difference at ${i}`);
    assert.ok(Math.abs((l.data[i] + r.data[i]) - (left.data[i] + right.data[i])) < 1e-5, `mean at ${i}`);
  }
});

test("bad gains are refused", () => {
  for (const bad of [0, -1, MAX_SPLIT_GAIN + 0.5, NaN, Infinity, "two"]) {
    assert.throws(() => checkSplitGain(bad), /split gain/, `gain ${bad}`);
  }
  assert.equal(checkSplitGain("2"), 2);
});
