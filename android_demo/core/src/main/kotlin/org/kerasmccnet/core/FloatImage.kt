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

    /** This image with [other]'s channels appended per pixel (same height and width). */
    fun appendChannels(other: FloatImage): FloatImage {
        require(other.height == height && other.width == width) {
            "cannot append a ${other.height}x${other.width} image's channels to a ${height}x$width one"
        }
        val c = channels + other.channels
        val out = FloatArray(height * width * c)
        for (p in 0 until height * width) {
            System.arraycopy(data, p * channels, out, p * c, channels)
            System.arraycopy(other.data, p * other.channels, out, p * c + channels, other.channels)
        }
        return FloatImage(height, width, c, out)
    }

    /** A copy of the [count] channels starting at channel [first]. */
    fun channels(first: Int, count: Int): FloatImage {
        require(first >= 0 && count > 0 && first + count <= channels) {
            "channels [$first, ${first + count}) leave the image's $channels"
        }
        val out = FloatArray(height * width * count)
        for (p in 0 until height * width) System.arraycopy(data, p * channels + first, out, p * count, count)
        return FloatImage(height, width, count, out)
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
