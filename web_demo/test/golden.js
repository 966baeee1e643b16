// Reads the golden vectors that pin the Android core to the Python code
// (android_demo/tools/make_golden_vectors.py); the web demo must reproduce them too.
import {readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import path from "node:path";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const GOLDEN = path.resolve(HERE, "../../android_demo/core/src/test/resources/golden");

export function golden(name) {
  return JSON.parse(readFileSync(path.join(GOLDEN, name), "utf8"));
}

const CHANNELS = 3;

/** make_golden_vectors.input_image: f32(((31y + 17x + 5c + phase) % 101) / 101). */
export function inputImage(height, width, phase) {
  const data = new Float32Array(height * width * CHANNELS);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < CHANNELS; c++) {
        data[(y * width + x) * CHANNELS + c] = ((y * 31 + x * 17 + c * 5 + phase) % 101) / 101;
      }
    }
  }
  return {height, width, channels: CHANNELS, data};
}

/** make_golden_vectors.tile_pattern: f32(((7k + 3i + 5j + 11c) % 97) / 97). */
export function tilePattern(k, h, w) {
  const data = new Float32Array(h * w * CHANNELS);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      for (let c = 0; c < CHANNELS; c++) {
        data[(i * w + j) * CHANNELS + c] = ((k * 7 + i * 3 + j * 5 + c * 11) % 97) / 97;
      }
    }
  }
  return data;
}

/** First index where two float arrays differ bitwise (float32), or -1. */
export function firstMismatch(actual, expected) {
  if (actual.length !== expected.length) return -2;
  const want = Float32Array.from(expected);
  for (let k = 0; k < want.length; k++) {
    if (!Object.is(actual[k], want[k])) return k;
  }
  return -1;
}
