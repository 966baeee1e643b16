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
     * This image grown to [h] x [w] by repeating its last row and column (edge padding). Used to
     * feed a fixed-shape model a tile smaller than its input; the output is cropped back, so
     * the padded pixels never reach the result, and edge padding keeps the real border pixels'
     * neighbourhood natural (zeros would show as a dark seam through the convolutions).
     */
    fun padEdge(h: Int, w: Int): FloatImage {
        require(h >= height && w >= width) { "cannot pad ${height}x$width down to ${h}x$w" }
        if (h == height && w == width) return this
        val out = FloatArray(h * w * channels)
        for (i in 0 until h) {
            val sy = minOf(i, height - 1)
            for (j in 0 until w) {
                val sx = minOf(j, width - 1)
                val src = (sy * width + sx) * channels
                val dst = (i * w + j) * channels
                for (c in 0 until channels) out[dst + c] = data[src + c]
            }
        }
        return FloatImage(h, w, channels, out)
    }
}
