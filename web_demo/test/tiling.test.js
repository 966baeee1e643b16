// The JS tiler against tiling.json: plans, 1-D weights and full blends, bit for bit in float32.
import {test} from "node:test";
import assert from "node:assert/strict";

import {blendWeights1d, planTiles, runTiled, tileStarts} from "../src/tiling.js";
import {firstMismatch, golden, inputImage, tilePattern} from "./golden.js";

const data = golden("tiling.json");

test("tile starts and windows equal keras_mccnet.tiling for every golden size", () => {
  assert.ok(data.cases.length >= 16);
  for (const c of data.cases) {
    const where = `tile ${c.tile} overlap ${c.overlap} image ${c.height}x${c.width}`;
    assert.deepEqual(tileStarts(c.height, c.tile, c.overlap), c.starts_y, where);
    assert.deepEqual(tileStarts(c.width, c.tile, c.overlap), c.starts_x, where);
    const plan = planTiles(c.height, c.width, c.tile, c.overlap);
    assert.deepEqual(plan.tiles.map((t) => [t.y, t.x, t.h, t.w]), c.tiles, where);
  }
});

test("1-D blending weights are bit-exact float32", () => {
  for (const w of data.weights) {
    const got = blendWeights1d(w.length, w.overlap);
    assert.equal(firstMismatch(got, w.values), -1, `length ${w.length} overlap ${w.overlap}`);
  }
});

test("blended images equal run_tiled's bit for bit, with tiles that disagree", async () => {
  const cases = data.cases.filter((c) => c.blended);
  assert.equal(cases.length, 8);
  for (const c of cases) {
    const left = inputImage(c.height, c.width, 0);
    const right = inputImage(c.height, c.width, 13);
    const fn = (l, r, t, k) => {
      const p = tilePattern(k, t.h, t.w);
      const out = new Float32Array(l.data.length);
      for (let i = 0; i < out.length; i++) {
        out[i] = Math.fround(Math.fround(l.data[i] * 0.5) + Math.fround(r.data[i] * 0.25)) + p[i];
      }
      return {channels: 3, data: out};
    };
    let progress = 0;
    const result = await runTiled(fn, left, right, c.tile, c.overlap, (k) => (progress = k));
    const where = `tile ${c.tile} overlap ${c.overlap} image ${c.height}x${c.width}`;
    assert.equal(progress, c.tiles.length, where);
    assert.equal(firstMismatch(result.data, c.blended), -1, where);
  }
});

test("a wrong blend rule is caught: overlap weights matter in the golden blends", async () => {
  const c = data.cases.find((k) => k.tile === 8 && k.overlap === 3 && k.height === 13);
  const left = inputImage(13, 21, 0);
  const right = inputImage(13, 21, 13);
  const fn = (l, r, t, k) => ({channels: 3, data: tilePattern(k, t.h, t.w)});
  // Blending as if there were no overlap (weights all 1) must not reproduce the stored image.
  const flat = await runTiled(fn, left, right, 8, 0);
  assert.notEqual(firstMismatch(flat.data, c.blended), -1);
});

test("bad arguments are refused with the values named", () => {
  assert.throws(() => tileStarts(0, 8, 2), /positive, got 0/);
  assert.throws(() => tileStarts(10, 8, 8), /overlap must be in \[0, tile\)/);
});
