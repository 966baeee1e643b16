// The DP split axis: keras_mccnet/dp_axis.py (and android_demo/core DpAxis.kt), pinned by the
// golden vectors in android_demo/core/src/test/resources/golden/dp_axis.json
// (web_demo/test/dp_axis.test.js).
//
// The model correlates along rows (DPDD's Canon splits pixels left / right). A sensor that splits
// top / bottom, or a phone photo in portrait orientation, has its defocus disparity along the
// columns; fed as is the model makes it worse than the input (benchmarks/results/dp_axis.md).
// Per 32-px block of the centre crop the least-squares 2-D shift between the high-passed grey
// views (Lucas-Kanade on the structure tensor) is solved; a vertical split needs a mean column
// shift >= MIN_SHIFT_PX, >= VERTICAL_RATIO x the row shift, explaining >= MIN_EXPLAINED of the
// views' difference. Filters follow OpenCV's defaults (reflect-101 borders, Gaussian size
// 8 sigma + 1) as the Python reference uses; values agree to ~1e-5, not bit for bit.

export const MEASURE_SIDE = 1024;
export const BLOCK = 32;
export const MIN_SHIFT_PX = 0.1;
export const VERTICAL_RATIO = 2.0;
export const MIN_EXPLAINED = 0.2;

/** {vertical, horizontalShift, verticalShift, explained} of two HWC float images. */
export function measureDpAxis(left, right) {
  const [h, v, explained] = meanShifts(left, right);
  const vertical = v >= MIN_SHIFT_PX && v >= VERTICAL_RATIO * h && explained >= MIN_EXPLAINED;
  return {vertical, horizontalShift: h, verticalShift: v, explained};
}

/** An HWC image with rows and columns swapped (its own inverse). */
export function transposeImage(image) {
  const {height, width, channels} = image;
  const data = new Float32Array(image.data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        data[(x * height + y) * channels + c] = image.data[(y * width + x) * channels + c];
      }
    }
  }
  return {height: width, width: height, channels, data};
}

/** [mean |row shift|, mean |column shift|, explained share]; zeros when nothing is pinned. */
export function meanShifts(left, right) {
  const a = grey(left);
  const b = grey(right);
  if (Math.min(a.h, a.w) < BLOCK) return [0, 0, 0];
  const n = a.h * a.w;
  const mean = plane(a.h, a.w, (i) => (a.v[i] + b.v[i]) / 2);
  const gx = sobel(mean, true);
  const gy = sobel(mean, false);
  const gt = plane(a.h, a.w, (i) => b.v[i] - a.v[i]).v;
  const blockOf = (p, q) => blockMeans(plane(a.h, a.w, (i) => p[i] * q[i]));
  const [sxx, syy, sxy] = [blockOf(gx, gx), blockOf(gy, gy), blockOf(gx, gy)];
  const [sxt, syt, stt] = [blockOf(gx, gt), blockOf(gy, gt), blockOf(gt, gt)];
  const blocks = sxx.length;
  const det = new Float32Array(blocks);
  const weakest = new Float32Array(blocks);
  for (let k = 0; k < blocks; k++) {
    det[k] = sxx[k] * syy[k] - sxy[k] * sxy[k];
    const d = (sxx[k] - syy[k]) ** 2 / 4 + sxy[k] * sxy[k];
    weakest[k] = (sxx[k] + syy[k]) / 2 - Math.sqrt(Math.max(d, 0));
  }
  const threshold = 0.1 * median(weakest);
  let sumDx = 0, sumDy = 0, fit = 0, energy = 0, pinned = 0;
  for (let k = 0; k < blocks; k++) {
    if (!(det[k] > 0 && weakest[k] > threshold && weakest[k] > 1e-12)) continue;
    const dx = (syy[k] * sxt[k] - sxy[k] * syt[k]) / det[k];
    const dy = (sxx[k] * syt[k] - sxy[k] * sxt[k]) / det[k];
    sumDx += Math.abs(dx);
    sumDy += Math.abs(dy);
    fit += dx * sxt[k] + dy * syt[k];  // the least-squares fit's explained energy
    energy += stt[k];
    pinned++;
  }
  if (pinned === 0 || energy <= 0) return [0, 0, 0];
  return [sumDx / pinned, sumDy / pinned, fit / energy];
}

function plane(h, w, f) {
  const v = new Float32Array(h * w);
  for (let i = 0; i < v.length; i++) v[i] = f(i);
  return {h, w, v};
}

/** Grey of the centre crop, high-passed (sigma 6) then smoothed (sigma 1), as dp_axis.py. */
function grey(image) {
  const h = Math.min(image.height, MEASURE_SIDE);
  const w = Math.min(image.width, MEASURE_SIDE);
  const top = Math.max(0, Math.floor((image.height - MEASURE_SIDE) / 2));
  const left = Math.max(0, Math.floor((image.width - MEASURE_SIDE) / 2));
  const c = image.channels;
  const g = plane(h, w, (i) => {
    const p = ((top + Math.floor(i / w)) * image.width + left + (i % w)) * c;
    return (image.data[p] + image.data[p + 1] + image.data[p + 2]) / 3;
  });
  const low = separable(g, gaussianKernel(6), gaussianKernel(6));
  const high = plane(h, w, (i) => g.v[i] - low.v[i]);
  return separable(high, gaussianKernel(1), gaussianKernel(1));
}

/** OpenCV's reflect-101 border index. */
function reflect101(i, n) {
  if (n === 1) return 0;
  while (i < 0 || i >= n) i = i < 0 ? -i : 2 * (n - 1) - i;
  return i;
}

function gaussianKernel(sigma) {
  const size = Math.round(sigma * 8 + 1) | 1;  // cv::GaussianBlur's size for float images
  const half = (size - 1) / 2;
  const w = Array.from({length: size}, (_, i) => Math.exp(-((i - half) ** 2) / (2 * sigma * sigma)));
  const sum = w.reduce((s, x) => s + x, 0);
  return Float32Array.from(w, (x) => x / sum);
}

function sobel(p, dx) {
  const derivative = [-1, 0, 1];
  const smooth = [1, 2, 1];
  const out = dx ? separable(p, derivative, smooth) : separable(p, smooth, derivative);
  return out.v.map((x) => x / 8);
}

/** Rows filtered by kx, then columns by ky (odd lengths, centred). */
function separable(p, kx, ky) {
  const rx = (kx.length - 1) / 2;
  const ry = (ky.length - 1) / 2;
  const rows = new Float32Array(p.v.length);
  for (let y = 0; y < p.h; y++) {
    for (let x = 0; x < p.w; x++) {
      let s = 0;
      for (let i = 0; i < kx.length; i++) s += kx[i] * p.v[y * p.w + reflect101(x + i - rx, p.w)];
      rows[y * p.w + x] = s;
    }
  }
  const out = new Float32Array(p.v.length);
  for (let y = 0; y < p.h; y++) {
    for (let x = 0; x < p.w; x++) {
      let s = 0;
      for (let i = 0; i < ky.length; i++) s += ky[i] * rows[reflect101(y + i - ry, p.h) * p.w + x];
      out[y * p.w + x] = s;
    }
  }
  return {h: p.h, w: p.w, v: out};
}

/** Means over BLOCK x BLOCK windows centred at BLOCK/2, BLOCK, ... (cv::boxFilter's anchor). */
function blockMeans(p) {
  const step = BLOCK / 2;
  const out = [];
  for (let cy = step; cy < p.h; cy += step) {
    for (let cx = step; cx < p.w; cx += step) {
      let s = 0;
      for (let y = cy - step; y < cy + step; y++) {
        const row = reflect101(y, p.h) * p.w;
        for (let x = cx - step; x < cx + step; x++) s += p.v[row + reflect101(x, p.w)];
      }
      out.push(s / (BLOCK * BLOCK));
    }
  }
  return Float32Array.from(out);
}

/** numpy's median: the mean of the two middle values for an even count. */
function median(values) {
  const sorted = Float32Array.from(values).sort();
  const m = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}
