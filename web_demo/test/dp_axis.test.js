// The web demo's DP split axis against keras_mccnet/dp_axis.py (golden/dp_axis.json).
import {test} from "node:test";
import assert from "node:assert/strict";

import {golden} from "./golden.js";
import * as dpAxis from "../src/dp_axis.js";

const vectors = golden("dp_axis.json");

/** make_golden_vectors.dp_axis_view: three oriented sinusoids, the second view shifted along x. */
function view(h, w, shifted) {
  const data = new Float32Array(h * w * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        const xd = x - (!shifted ? 0 : x < Math.floor(w / 2) ? 1.25 : -0.75);
        data[(y * w + x) * 3 + c] = 0.5 + 0.18 * Math.sin(0.83 * xd + 0.37 * y + c) +
          0.14 * Math.sin(0.29 * xd - 0.71 * y + 1.0) + 0.1 * Math.sin(0.53 * xd + 0.61 * y + 2.0 + 0.5 * c);
      }
    }
  }
  return {height: h, width: w, channels: 3, data};
}

test("constants are the Python ones", () => {
  const c = vectors.constants;
  assert.deepEqual([dpAxis.MEASURE_SIDE, dpAxis.BLOCK, dpAxis.MIN_SHIFT_PX, dpAxis.VERTICAL_RATIO,
                    dpAxis.MIN_EXPLAINED],
                   [c.measure_side, c.block, c.min_shift_px, c.vertical_ratio, c.min_explained]);
});

test("measurements match Python", () => {
  assert.deepEqual(vectors.cases.map((c) => c.name), ["horizontal", "vertical", "same", "cropped"]);
  for (const c of vectors.cases) {
    let left = view(c.height, c.width, false);
    let right = view(c.height, c.width, c.second_view_shifted);
    if (c.transposed) [left, right] = [dpAxis.transposeImage(left), dpAxis.transposeImage(right)];
    const m = dpAxis.measureDpAxis(left, right);
    // OpenCV sums in another order: ~1e-5 relative agreement expected, 1e-3 px allowed
    assert.ok(Math.abs(m.horizontalShift - c.horizontal) < 1e-3, `${c.name}: ${m.horizontalShift} vs ${c.horizontal}`);
    assert.ok(Math.abs(m.verticalShift - c.vertical) < 1e-3, `${c.name}: ${m.verticalShift} vs ${c.vertical}`);
    assert.ok(Math.abs(m.explained - c.explained) < 1e-3, `${c.name}: ${m.explained} vs ${c.explained}`);
    assert.equal(m.vertical, c.axis === "vertical", c.name);
  }
});

test("transpose swaps rows and columns and undoes itself", () => {
  const image = view(3, 5, false);
  const t = dpAxis.transposeImage(image);
  assert.deepEqual([t.height, t.width], [5, 3]);
  assert.equal(t.data[(4 * 3 + 2) * 3 + 1], image.data[(2 * 5 + 4) * 3 + 1]);
  assert.deepEqual(dpAxis.transposeImage(t).data, image.data);
});
