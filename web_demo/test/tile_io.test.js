// Tile padding, crop-back and clamping against tile_io.json, made by export/runtime.py's own code.
import {test} from "node:test";
import assert from "node:assert/strict";

import {finishTile, padTile} from "../src/tile_io.js";
import {firstMismatch, golden, inputImage} from "./golden.js";

const data = golden("tile_io.json");

test("padding, model, crop and clamp equal ExportedModel.__call__ bit for bit", () => {
  assert.ok(data.tiles.length >= 6);
  for (const c of data.tiles) {
    const where = `tile ${c.tile}, crop ${c.height}x${c.width}`;
    const left = padTile(inputImage(c.height, c.width, 0), c.tile);
    const right = padTile(inputImage(c.height, c.width, 13), c.tile);
    assert.equal(firstMismatch(left.data, c.padded_left), -1, `padded input, ${where}`);
    // The recorder model of make_golden_vectors: out = l*1.5 - r*0.25 - 0.125 in float32.
    const out = new Float32Array(left.data.length);
    for (let k = 0; k < out.length; k++) {
      out[k] = Math.fround(Math.fround(left.data[k] * 1.5) - Math.fround(right.data[k] * 0.25))
        - 0.125;
    }
    const tile = finishTile(out, c.tile, 3, c.height, c.width, [0, 1]);
    assert.equal(firstMismatch(tile.data, c.output), -1, `output, ${where}`);
  }
});

test("a tile larger than the model's is refused", () => {
  assert.throws(() => padTile(inputImage(9, 4, 0), 8), /exceeds the model's fixed 8 px tile/);
});
