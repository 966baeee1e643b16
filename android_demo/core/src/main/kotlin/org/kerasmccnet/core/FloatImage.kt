package org.kerasmccnet.core

/**
 * A float image in the model's layout: height x width x channels, row-major, channels last (the
 * (h, w, c) part of an (n, h, w, c) tensor with n = 1). Values are sRGB in [0, 1] for inputs.
 */
class FloatImage(val height: Int, val width: Int, val channels: Int, val data: FloatArray) {
    init {
        require(height > 0 && width > 0 && channels > 0) {
            "image dimensions must be positive, got ${height}x${width}x$channels"
        }
        require(data.size == height * width * channels) {
            "data has ${data.size} values, expected $height*$width*$channels"
        }
    }

    operator fun get(y: Int, x: Int, c: Int): Float = data[(y * width + x) * channels + c]

    /** A copy of the window [y, y + h) x [x, x + w). */
    fun crop(y: Int, x: Int, h: Int, w: Int): FloatImage {
        require(y >= 0 && x >= 0 && y + h <= height && x + w <= width) {
            "crop ${h}x$w at ($y, $x) leaves the ${height}x$width image"
        }
        val out = FloatArray(h * w * channels)
        val rowLen = w * channels
        for (i in 0 until h) {
            System.arraycopy(data, ((y + i) * width + x) * channels, out, i * rowLen, rowLen)
        }
        return FloatImage(h, w, channels, out)
    }

    /**
     * This image grown to [h] x [w] at the bottom and right, by repeating the last row and column
     * ([symmetric] false: numpy's "edge") or by mirroring including the border pixel ([symmetric]
     * true: numpy's "symmetric", a b c | c b a; needs a pad no larger than the image side).
     */
    fun pad(h: Int, w: Int, symmetric: Boolean): FloatImage {
        require(h >= height && w >= width) { "cannot pad ${height}x$width down to ${h}x$w" }
        require(!symmetric || (h - height <= height && w - width <= width)) {
            "symmetric padding of ${height}x$width to ${h}x$w reaches past the mirrored image"
        }
        if (h == height && w == width) return this
        fun source(i: Int, n: Int) = when {
            i < n -> i
            symmetric -> 2 * n - 1 - i
            else -> n - 1
        }
        val out = FloatArray(h * w * channels)
        for (i in 0 until h) {
            val sy = source(i, height)
            for (j in 0 until w) {
                val src = (sy * width + source(j, width)) * channels
                val dst = (i * w + j) * channels
                for (c in 0 until channels) out[dst + c] = data[src + c]
            }
        }
        return FloatImage(h, w, channels, out)
    }
}
