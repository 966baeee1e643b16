// Overlap-blended tiling: the rule of keras_mccnet/tiling.py (and android_demo/core TilePlan.kt),
// proven equal by the golden vectors in android_demo/core/src/test/resources/golden/tiling.json
// (web_demo/test/tiling.test.js reproduces every blended value bit for bit in float32).
//
// Along an axis of length n with tile t and overlap o (0 <= o < t), tiles start at 0, s, 2s, ...
// with stride s = t - o until a tile reaches the end; the last start is clamped to n - t. If
// n <= t there is one tile at 0 of length n (padded to t for the model, cropped back after).
// Blending weight at offset i in a tile of length m: min(1, (i + 0.5) / o, (m - i - 0.5) / o),
// 1 when o == 0; a 2-D tile weighs w_y(i) * w_x(j); the result is sum(w * out) / sum(w).
// JS numbers are float64: every stored value goes through a Float32Array or Math.fround so the
// arithmetic is numpy's float32 arithmetic (a float64 op on float32 operands rounded once to
// float32 equals the float32 op for + - * /).

const f32 = Math.fround;

/** Start offsets of the tiles along one axis of length `n`. */
export function tileStarts(n, tile, overlap) {
  if (!(n > 0)) throw new RangeError(`image side must be positive, got ${n}`);
  if (!(tile > 0)) throw new RangeError(`tile must be positive, got ${tile}`);
  if (!(overlap >= 0 && overlap < tile)) {
    throw new RangeError(`overlap must be in [0, tile), got overlap=${overlap}, tile=${tile}`);
  }
  if (n <= tile) return [0];
  const stride = tile - overlap;
  const starts = [];
  for (let start = 0; ; start += stride) {
    if (start + tile >= n) {
      starts.push(n - tile);
      return starts;
    }
    starts.push(start);
  }
}

/** Per-pixel blending weights of one tile axis of `length` pixels (float32, all > 0). */
export function blendWeights1d(length, overlap) {
  const w = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    w[i] = overlap <= 0 ? 1 : Math.min(1, (i + 0.5) / overlap, (length - i - 0.5) / overlap);
  }
  return w;
}

/** All tiles {y, x, h, w} covering a height x width image, row-major. */
export function planTiles(height, width, tile, overlap) {
  const ys = tileStarts(height, tile, overlap);
  const xs = tileStarts(width, tile, overlap);
  const h = Math.min(tile, height);
  const w = Math.min(tile, width);
  const tiles = [];
  for (const y of ys) for (const x of xs) tiles.push({y, x, h, w});
  return {height, width, tile, overlap, tiles};
}

/**
 * Accumulates tile outputs with the blending weights and normalises them: the arithmetic of
 * tiling.run_tiled (acc += out * w; norm += w; acc / norm), all in float32.
 */
export class BlendAccumulator {
  constructor(height, width, channels, overlap) {
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.overlap = overlap;
    this.acc = new Float32Array(height * width * channels);
    this.norm = new Float32Array(height * width);
  }

  /** Adds one tile's output (h x w x channels, HWC Float32Array) at tile `t`. */
  add(t, out) {
    const {width, channels, acc, norm} = this;
    if (out.length !== t.h * t.w * channels) {
      throw new RangeError(`tile output holds ${out.length} values, expected ` +
                           `${t.h}x${t.w}x${channels}`);
    }
    const wy = blendWeights1d(t.h, this.overlap);
    const wx = blendWeights1d(t.w, this.overlap);
    for (let i = 0; i < t.h; i++) {
      for (let j = 0; j < t.w; j++) {
        const w = f32(wy[i] * wx[j]);
        const p = (t.y + i) * width + (t.x + j);
        norm[p] += w;
        const src = (i * t.w + j) * channels;
        for (let c = 0; c < channels; c++) acc[p * channels + c] += f32(out[src + c] * w);
      }
    }
  }

  /** The blended image (HWC Float32Array); the accumulator is consumed. */
  result() {
    const {acc, norm, channels} = this;
    for (let p = 0; p < norm.length; p++) {
      for (let c = 0; c < channels; c++) acc[p * channels + c] /= norm[p];
    }
    return acc;
  }
}

/**
 * Runs `fn(leftTile, rightTile, tile, index) -> outTile` over the tiling plan of two HWC float
 * images and blends the results: tiling.run_tiled. `fn` may be async; images are
 * {height, width, channels, data: Float32Array}. `onTile(k, n)` is called after each tile.
 */
export async function runTiled(fn, left, right, tile, overlap, onTile) {
  if (left.height !== right.height || left.width !== right.width) {
    throw new RangeError(`left and right views differ in size: ${left.width}x${left.height} ` +
                         `vs ${right.width}x${right.height}`);
  }
  const plan = planTiles(left.height, left.width, tile, overlap);
  let blend = null;
  for (let k = 0; k < plan.tiles.length; k++) {
    const t = plan.tiles[k];
    const out = await fn(cropImage(left, t), cropImage(right, t), t, k);
    blend ??= new BlendAccumulator(left.height, left.width, out.channels, overlap);
    blend.add(t, out.data);
    onTile?.(k + 1, plan.tiles.length);
  }
  return {height: left.height, width: left.width, channels: blend.channels, data: blend.result()};
}

/** The window {y, x, h, w} of an HWC float image, as a new image. */
export function cropImage(image, {y, x, h, w}) {
  const c = image.channels;
  const data = new Float32Array(h * w * c);
  for (let i = 0; i < h; i++) {
    const from = ((y + i) * image.width + x) * c;
    data.set(image.data.subarray(from, from + w * c), i * w * c);
  }
  return {height: h, width: w, channels: c, data};
}
