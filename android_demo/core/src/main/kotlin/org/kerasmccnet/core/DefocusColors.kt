package org.kerasmccnet.core

import java.math.BigDecimal
import java.math.RoundingMode

/**
 * The defocus map as colour, by the web demo's rule (web_demo/src/app.js, paintDefocus), so a user
 * sees the same picture on the phone as in the browser:
 *
 * - the scale is the map's own largest magnitude max(|min|, |max|) (1 for an all-zero map);
 * - a signed map (any value < 0) diverges around 0: blue (-scale) .. white (0) .. red (+scale),
 *   red behind the focal plane, blue in front of it; an unsigned one runs black (0) .. yellow;
 * - every level is computed in double and stored as the browser's Uint8ClampedArray stores it:
 *   clamped to [0, 255], rounded half to even (NaN -> 0).
 *
 * [legend] is the web demo's legend line, character for character.
 */
class DefocusColors private constructor(val signed: Boolean, val scale: Double) {
    companion object {
        /** The colouring of [map] (h x w x 1, input px). */
        fun of(map: FloatImage): DefocusColors {
            require(map.channels == 1) { "a defocus map has one channel, got ${map.channels}" }
            var lo = Double.POSITIVE_INFINITY
            var hi = Double.NEGATIVE_INFINITY
            // Math.min/max, as in JS: a NaN value makes the range NaN, and the scale then falls
            // back to 1 like the web demo's `|| 1`.
            for (v in map.data) {
                lo = Math.min(lo, v.toDouble())
                hi = Math.max(hi, v.toDouble())
            }
            val magnitude = Math.max(Math.abs(lo), Math.abs(hi))
            return DefocusColors(lo < 0, if (magnitude == 0.0 || magnitude.isNaN()) 1.0 else magnitude)
        }

        /** One channel level as a Uint8ClampedArray stores it. */
        private fun level(x: Double): Int = if (x.isNaN()) 0 else Math.rint(x.coerceIn(0.0, 255.0)).toInt()

        /** JS's Number.prototype.toFixed(3): the exact binary value rounded, ties away from zero. */
        private fun fixed3(x: Double): String = BigDecimal(x).setScale(3, RoundingMode.HALF_UP).toPlainString()
    }

    /** The opaque ARGB_8888 colour of one defocus value [d] (input px). */
    fun argb(d: Float): Int = argbOf(d.toDouble())

    private fun argbOf(d: Double): Int {
        val t = d / scale
        val r: Double
        val g: Double
        val b: Double
        if (signed) {
            if (t >= 0) {
                r = 255.0; g = 255 * (1 - t); b = 255 * (1 - t)
            } else {
                r = 255 * (1 + t); g = 255 * (1 + t); b = 255.0
            }
        } else {
            r = 255 * Math.min(1.0, 2 * t); g = 255 * Math.max(0.0, 2 * t - 1); b = 60 * (1 - t)
        }
        return (0xFF shl 24) or (level(r) shl 16) or (level(g) shl 8) or level(b)
    }

    /** The whole [map] as row-major ARGB_8888 pixels (Bitmap.createBitmap's layout). */
    fun argb(map: FloatImage): IntArray {
        require(map.channels == 1) { "a defocus map has one channel, got ${map.channels}" }
        return IntArray(map.data.size) { argb(map.data[it]) }
    }

    /** A colour bar [width] px wide: the values from the legend's left end to its right end. */
    fun legendBar(width: Int): IntArray {
        require(width >= 2) { "a legend bar needs at least 2 px, got $width" }
        val lo = if (signed) -scale else 0.0
        return IntArray(width) { i -> argbOf(lo + (scale - lo) * i / (width - 1)) }
    }

    /** The web demo's legend line, e.g. "blue -1.250 … white 0 … red 1.250". */
    val legend: String
        get() = if (signed) "blue ${fixed3(-scale)} … white 0 … red ${fixed3(scale)}"
        else "black 0 … yellow ${fixed3(scale)}"
}
