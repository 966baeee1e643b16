package org.kerasmccnet.core

/** The two dual-pixel views of one capture, as ARGB_8888 pixels of equal size. */
class DpPairPixels(val width: Int, val height: Int, val left: IntArray, val right: IntArray) {
    init {
        require(width > 0 && height > 0) { "pair size must be positive, got ${width}x$height" }
        require(left.size == width * height && right.size == width * height) {
            "pair views must both hold ${width}x$height pixels, got ${left.size} and ${right.size}"
        }
    }
}

/**
 * Splits one side-by-side image (left view | right view, as DP viewers and some capture apps save
 * them) into its two views. The width must be even: an odd width means the image is not a
 * side-by-side pair, and guessing which column to drop would shift one view by a pixel, which is
 * exactly the disparity the model reads.
 */
fun splitSideBySide(pixels: IntArray, width: Int, height: Int): DpPairPixels {
    require(pixels.size == width * height) { "got ${pixels.size} pixels for ${width}x$height" }
    require(width >= 2 && width % 2 == 0) {
        "a side-by-side pair needs an even width, got $width (is this a single view?)"
    }
    val half = width / 2
    val left = IntArray(half * height)
    val right = IntArray(half * height)
    for (y in 0 until height) {
        System.arraycopy(pixels, y * width, left, y * half, half)
        System.arraycopy(pixels, y * width + half, right, y * half, half)
    }
    return DpPairPixels(half, height, left, right)
}

/** [splitSideBySide] for an already decoded float image (8- or 16-bit sources alike). */
fun splitSideBySide(image: FloatImage): Pair<FloatImage, FloatImage> {
    require(image.width >= 2 && image.width % 2 == 0) {
        "a side-by-side pair needs an even width, got ${image.width} (is this a single view?)"
    }
    val half = image.width / 2
    return image.crop(0, 0, image.height, half) to image.crop(0, half, image.height, half)
}
