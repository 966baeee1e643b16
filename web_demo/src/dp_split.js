// The DP split gain, as keras_mccnet/dp_split.py: a per-camera setting that scales the views'
// difference about their mean, L' = C + k (L - R) / 2 and R' = C - k (L - R) / 2, so a camera
// with a weak dual-pixel split (phones) looks to the model like the strong-split cameras it reads
// blur from best. C = (L + R) / 2 is unchanged; 1 runs the views as recorded; not clamped. Images
// are {height, width, channels, data: Float32Array}, as in dp_axis.js.

/** Beyond this the difference image is mostly amplified noise. */
export const MAX_SPLIT_GAIN = 4;

export function checkSplitGain(gain) {
  const k = Number(gain);
  if (!(Number.isFinite(k) && k > 0 && k <= MAX_SPLIT_GAIN)) {
    throw new Error(`split gain must be in (0, ${MAX_SPLIT_GAIN}], got ${gain} (1 = the views as recorded)`);
  }
  return k;
}

/** [L', R'] for the gain (the same arrays when it is 1). */
export function amplifySplit(left, right, gain) {
  const k = checkSplitGain(gain);
  if (left.data.length !== right.data.length) throw new Error("left and right views differ in size");
  if (k === 1) return [left, right];
  const half = Math.fround(0.5 * k);
  const l = new Float32Array(left.data.length);
  const r = new Float32Array(left.data.length);
  for (let i = 0; i < l.length; i++) {
    const center = Math.fround(0.5 * Math.fround(left.data[i] + right.data[i]));
    const halfDifference = Math.fround(half * Math.fround(left.data[i] - right.data[i]));
    l[i] = center + halfDifference;
    r[i] = center - halfDifference;
  }
  return [{...left, data: l}, {...right, data: r}];
}
