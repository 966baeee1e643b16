package org.kerasmccnet.core

import kotlin.math.abs
import kotlin.math.exp
import kotlin.math.max
import kotlin.math.min
import kotlin.math.roundToInt
import kotlin.math.sqrt

/** The split axis to run the model on: measured per photo ([AUTO]) or given. */
enum class DpAxisChoice { AUTO, HORIZONTAL, VERTICAL }

/**
 * What [measureDpAxis] found: whether the pair splits top / bottom, the mean shift between the
 * views along rows and along columns (px), and the share of their difference those shifts explain.
 */
data class DpAxisMeasurement(
    val vertical: Boolean,
    val horizontalShift: Float,
    val verticalShift: Float,
    val explained: Float,
)

/**
 * The DP split axis, a port of keras_mccnet/dp_axis.py (pinned by golden/dp_axis.json).
 *
 * The model correlates along rows (DPDD's Canon splits pixels left / right). A sensor that
 * splits top / bottom, or a phone photo stored in portrait orientation, has its defocus disparity
 * along the columns, and fed as is the model makes it worse than the input
 * (benchmarks/results/dp_axis.md). Per 32-px block of the centre crop, the least-squares 2-D shift
 * between the high-passed grey views (Lucas-Kanade on the structure tensor) is solved; a vertical
 * split needs a mean column shift >= [MIN_SHIFT_PX], >= [VERTICAL_RATIO] x the row shift, and the
 * shifts must explain >= [MIN_EXPLAINED] of the views' difference. Filters follow OpenCV's
 * defaults (reflect-101 borders, Gaussian kernel size 8 sigma + 1), as the Python reference uses.
 */
object DpAxis {
    const val MEASURE_SIDE = 1024
    const val BLOCK = 32
    const val MIN_SHIFT_PX = 0.1f
    const val VERTICAL_RATIO = 2.0f
    const val MIN_EXPLAINED = 0.2f

    fun measure(left: FloatImage, right: FloatImage): DpAxisMeasurement {
        val (h, v, explained) = meanShifts(left, right)
        val vertical = v >= MIN_SHIFT_PX && v >= VERTICAL_RATIO * h && explained >= MIN_EXPLAINED
        return DpAxisMeasurement(vertical, h, v, explained)
    }

    /** (mean |row shift|, mean |column shift|, explained share), zeros when nothing is pinned. */
    fun meanShifts(left: FloatImage, right: FloatImage): Triple<Float, Float, Float> {
        require(left.height == right.height && left.width == right.width) { "views differ in size" }
        val a = grey(left)
        val b = grey(right)
        if (min(a.h, a.w) < BLOCK) return Triple(0f, 0f, 0f)
        val n = a.h * a.w
        val mean = Plane(a.h, a.w, FloatArray(n) { (a.v[it] + b.v[it]) / 2f })
        val gx = sobel(mean, dx = true)
        val gy = sobel(mean, dx = false)
        val gt = FloatArray(n) { b.v[it] - a.v[it] }
        fun product(p: FloatArray, q: FloatArray) = Plane(a.h, a.w, FloatArray(n) { p[it] * q[it] })
        val sxx = blockMeans(product(gx, gx))
        val syy = blockMeans(product(gy, gy))
        val sxy = blockMeans(product(gx, gy))
        val sxt = blockMeans(product(gx, gt))
        val syt = blockMeans(product(gy, gt))
        val stt = blockMeans(product(gt, gt))
        val blocks = sxx.size
        val det = FloatArray(blocks) { sxx[it] * syy[it] - sxy[it] * sxy[it] }
        val weakest = FloatArray(blocks) {
            val d = (sxx[it] - syy[it]) * (sxx[it] - syy[it]) / 4f + sxy[it] * sxy[it]
            (sxx[it] + syy[it]) / 2f - sqrt(max(d, 0f))
        }
        val threshold = 0.1f * median(weakest)
        var sumDx = 0.0
        var sumDy = 0.0
        var fit = 0.0
        var energy = 0.0
        var pinned = 0
        for (k in 0 until blocks) {
            if (!(det[k] > 0f && weakest[k] > threshold && weakest[k] > 1e-12f)) continue
            val dx = (syy[k] * sxt[k] - sxy[k] * syt[k]) / det[k]
            val dy = (sxx[k] * syt[k] - sxy[k] * sxt[k]) / det[k]
            sumDx += abs(dx)
            sumDy += abs(dy)
            fit += dx * sxt[k] + dy * syt[k]  // the least-squares fit's explained energy
            energy += stt[k]
            pinned++
        }
        if (pinned == 0 || energy <= 0.0) return Triple(0f, 0f, 0f)
        return Triple((sumDx / pinned).toFloat(), (sumDy / pinned).toFloat(), (fit / energy).toFloat())
    }

    /** An image with rows and columns swapped (its own inverse). */
    fun transpose(image: FloatImage): FloatImage {
        val c = image.channels
        val out = FloatArray(image.data.size)
        for (y in 0 until image.height) for (x in 0 until image.width) {
            System.arraycopy(image.data, (y * image.width + x) * c, out, (x * image.height + y) * c, c)
        }
        return FloatImage(image.width, image.height, c, out)
    }

    private class Plane(val h: Int, val w: Int, val v: FloatArray)

    /** Grey of the centre crop, high-passed (sigma 6) then smoothed (sigma 1), as dp_axis.py. */
    private fun grey(image: FloatImage): Plane {
        val h = min(image.height, MEASURE_SIDE)
        val w = min(image.width, MEASURE_SIDE)
        val top = max(0, (image.height - MEASURE_SIDE) / 2)
        val left = max(0, (image.width - MEASURE_SIDE) / 2)
        val g = FloatArray(h * w)
        for (y in 0 until h) for (x in 0 until w) {
            val p = ((top + y) * image.width + left + x) * image.channels
            g[y * w + x] = (image.data[p] + image.data[p + 1] + image.data[p + 2]) / 3f
        }
        val plane = Plane(h, w, g)
        val low = gaussian(plane, 6.0)
        return gaussian(Plane(h, w, FloatArray(h * w) { g[it] - low.v[it] }), 1.0)
    }

    /** OpenCV's reflect-101 border index (…2 1 | 0 1 2 … n-1 | n-2 …). */
    private fun reflect101(i: Int, n: Int): Int {
        if (n == 1) return 0
        var j = i
        while (j < 0 || j >= n) j = if (j < 0) -j else 2 * (n - 1) - j
        return j
    }

    private fun gaussianKernel(sigma: Double): FloatArray {
        val size = (sigma * 8 + 1).roundToInt() or 1  // cv::GaussianBlur's size for float images
        val half = (size - 1) / 2.0
        val w = DoubleArray(size) { exp(-(it - half) * (it - half) / (2 * sigma * sigma)) }
        val sum = w.sum()
        return FloatArray(size) { (w[it] / sum).toFloat() }
    }

    private fun gaussian(p: Plane, sigma: Double): Plane {
        val k = gaussianKernel(sigma)
        return separable(p, k, k)
    }

    private fun sobel(p: Plane, dx: Boolean): FloatArray {
        val derivative = floatArrayOf(-1f, 0f, 1f)
        val smooth = floatArrayOf(1f, 2f, 1f)
        val out = if (dx) separable(p, derivative, smooth) else separable(p, smooth, derivative)
        return FloatArray(out.v.size) { out.v[it] / 8f }
    }

    /** Rows filtered by [kx], then columns by [ky] (odd lengths, centred). */
    private fun separable(p: Plane, kx: FloatArray, ky: FloatArray): Plane {
        val rx = kx.size / 2
        val ry = ky.size / 2
        val rows = FloatArray(p.v.size)
        for (y in 0 until p.h) for (x in 0 until p.w) {
            var s = 0f
            for (i in kx.indices) s += kx[i] * p.v[y * p.w + reflect101(x + i - rx, p.w)]
            rows[y * p.w + x] = s
        }
        val out = FloatArray(p.v.size)
        for (y in 0 until p.h) for (x in 0 until p.w) {
            var s = 0f
            for (i in ky.indices) s += ky[i] * rows[reflect101(y + i - ry, p.h) * p.w + x]
            out[y * p.w + x] = s
        }
        return Plane(p.h, p.w, out)
    }

    /**
     * Means over BLOCK x BLOCK windows centred at BLOCK/2, BLOCK, 3 BLOCK/2, … (cv::boxFilter's
     * anchor: rows c - BLOCK/2 .. c + BLOCK/2 - 1), row-major over the grid.
     */
    private fun blockMeans(p: Plane): FloatArray {
        val step = BLOCK / 2
        val ys = (step until p.h step step).toList()
        val xs = (step until p.w step step).toList()
        val out = FloatArray(ys.size * xs.size)
        var k = 0
        for (cy in ys) for (cx in xs) {
            var s = 0.0
            for (y in cy - step until cy + step) {
                val row = reflect101(y, p.h) * p.w
                for (x in cx - step until cx + step) s += p.v[row + reflect101(x, p.w)]
            }
            out[k++] = (s / (BLOCK * BLOCK)).toFloat()
        }
        return out
    }

    /** numpy's median: the mean of the two middle values for an even count. */
    private fun median(values: FloatArray): Float {
        val sorted = values.sortedArray()
        val m = sorted.size / 2
        return if (sorted.size % 2 == 1) sorted[m] else (sorted[m - 1] + sorted[m]) / 2f
    }
}
