// How one tile goes into a fixed-shape model and comes back: the tile code of the host runtime
// (export/runtime.py, ExportedModel.__call__) and of the Android core (DeblurPipeline.kt),
// checked against web_demo/test/tile_io.test.js's golden vectors (tile_io.json).

/**
 * Pads an HWC float image of at most tile x tile to tile x tile. Mirror padding (numpy's
 * "symmetric": the edge pixel repeated, then the image backwards) when the pad fits inside the
 * crop on both axes, so no artificial edge appears at the border; else edge repetition.
 */
export function padTile(image, tile) {
  const {height: h, width: w, channels: c} = image;
  if (h > tile || w > tile) {
    throw new RangeError(`tile of ${h}x${w} exceeds the model's fixed ${tile} px tile`);
  }
  if (h === tile && w === tile) return image;
  const symmetric = tile - h <= h && tile - w <= w;
  const source = (i, n) => (i < n ? i : symmetric ? 2 * n - 1 - i : n - 1);
  const data = new Float32Array(tile * tile * c);
  for (let i = 0; i < tile; i++) {
    const si = source(i, h);
    for (let j = 0; j < tile; j++) {
      const from = (si * w + source(j, w)) * c;
      for (let k = 0; k < c; k++) data[(i * tile + j) * c + k] = image.data[from + k];
    }
  }
  return {height: tile, width: tile, channels: c, data};
}

/**
 * One model output (1 x tile x tile x channels, flat) cropped back to the h x w window and, when
 * `range` is given, clamped to it (the deblurred image: clamped, never min-max stretched).
 */
export function finishTile(out, tile, channels, h, w, range = null) {
  if (out.length !== tile * tile * channels) {
    throw new RangeError(`model returned ${out.length} values, expected ` +
                         `${tile}x${tile}x${channels}`);
  }
  const data = new Float32Array(h * w * channels);
  for (let i = 0; i < h; i++) {
    data.set(out.subarray(i * tile * channels, (i * tile + w) * channels), i * w * channels);
  }
  if (range) {
    const [lo, hi] = range;
    for (let k = 0; k < data.length; k++) data[k] = Math.min(hi, Math.max(lo, data[k]));
  }
  return {height: h, width: w, channels, data};
}
