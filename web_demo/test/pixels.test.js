// 8-bit packing against packing.json, and the side-by-side split rule of SideBySide.kt.
import {test} from "node:test";
import assert from "node:assert/strict";

import {imageToRgba8, meanOfViews, rgba8ToImage, splitSideBySide, toLevel8} from "../src/pixels.js";
import {firstMismatch, golden} from "./golden.js";

const data = golden("packing.json");

test("8-bit levels to float32 equal level / 255 in numpy", () => {
  const rgba = new Uint8ClampedArray(data.levels8.length * 4);
  data.levels8.forEach((v, p) => rgba.set([v, v, v, 255], p * 4));
  const image = rgba8ToImage(rgba, data.levels8.length, 1);
  const red = image.data.filter((_, k) => k % 3 === 0);
  assert.equal(firstMismatch(red, data.levels8_to_float), -1);
});

test("floats to 8-bit levels: clamp, scale in float32, round half to even", () => {
  const got = Float32Array.from(data.probe_floats).map(toLevel8);
  assert.deepEqual(Array.from(got), data.probe_to_level8);
  const image = {height: 1, width: 2, channels: 3, data: Float32Array.of(-1, 0.5, 2, 1, 0, NaN)};
  assert.deepEqual(Array.from(imageToRgba8(image)), [0, 128, 255, 255, 255, 0, 0, 255]);
});

test("side-by-side images split into two equal views; odd widths are refused", () => {
  const image = {height: 1, width: 4, channels: 3,
                 data: Float32Array.from({length: 12}, (_, k) => k)};
  const [left, right] = splitSideBySide(image);
  assert.deepEqual(Array.from(left.data), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(Array.from(right.data), [6, 7, 8, 9, 10, 11]);
  assert.deepEqual(Array.from(meanOfViews(left, right).data), [3, 4, 5, 6, 7, 8]);
  assert.throws(() => splitSideBySide({...image, width: 3, data: image.data.subarray(0, 9)}),
                /even width, got 3/);
});
