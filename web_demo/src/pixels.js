// Decoded pixels <-> the model's HWC float32 RGB in [0, 1] (keras_mccnet/io_spec.py), the rule of
// the Android core's PixelPacking.kt (golden vectors: packing.json): to float, level / 255 in
// float32; back, clamp to [0, 1], scale, round half to even. Never a min-max stretch.

/** RGBA8 pixels (ImageData.data) to an HWC float RGB image; alpha is dropped. */
export function rgba8ToImage(rgba, width, height) {
  if (rgba.length !== width * height * 4) {
    throw new RangeError(`got ${rgba.length / 4} pixels for ${width}x${height}`);
  }
  const data = new Float32Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) data[p * 3 + c] = rgba[p * 4 + c] / 255;
  }
  return {height, width, channels: 3, data};
}

/** Round half to even (numpy.round, Math.rint), for non-negative values. */
function roundHalfEven(x) {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** One float to an 8-bit level: clamp to [0, 1] (NaN -> 0), scale in float32, round half even. */
export function toLevel8(v) {
  const clamped = Number.isNaN(v) ? 0 : Math.min(1, Math.max(0, v));
  return roundHalfEven(Math.fround(clamped * 255));
}

/** An HWC float RGB image to opaque RGBA8 pixels (for ImageData / PNG). */
export function imageToRgba8(image) {
  const {height, width, data} = image;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) rgba[p * 4 + c] = toLevel8(data[p * 3 + c]);
    rgba[p * 4 + 3] = 255;
  }
  return rgba;
}

/**
 * Splits one side-by-side image (left view | right view) into its two views. The width must be
 * even: an odd width means it is not a pair, and dropping a column would shift one view by a
 * pixel, which is exactly the disparity the model reads (SideBySide.kt, the same rule).
 */
export function splitSideBySide(image) {
  if (image.width < 2 || image.width % 2 !== 0) {
    throw new RangeError(`a side-by-side pair needs an even width, got ${image.width} ` +
                         "(is this a single view?)");
  }
  const half = image.width / 2;
  const view = (x0) => {
    const c = image.channels;
    const data = new Float32Array(image.height * half * c);
    for (let i = 0; i < image.height; i++) {
      const from = (i * image.width + x0) * c;
      data.set(image.data.subarray(from, from + half * c), i * half * c);
    }
    return {height: image.height, width: half, channels: c, data};
  };
  return [view(0), view(half)];
}

/** (L + R) / 2: what a normal camera records, the "before" of the demo. */
export function meanOfViews(left, right) {
  const data = new Float32Array(left.data.length);
  for (let k = 0; k < data.length; k++) data[k] = (left.data[k] + right.data[k]) * 0.5;
  return {...left, data};
}
