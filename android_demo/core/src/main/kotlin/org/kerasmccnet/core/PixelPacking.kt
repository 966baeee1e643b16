package org.kerasmccnet.core

/*
 * Pixels <-> the model's NHWC float32 RGB in [0, 1] (keras_mccnet/io_spec.py).
 *
 * To float: level / (2^bits - 1), in float32. Back: clamp to [0, 1], scale, round half to even
 * (numpy's rounding, so the phone and Python agree on every level). Outputs are clamped, never
 * min-max stretched: a stretch would change the brightness of every image differently.
 *
 * Android's ARGB_8888 Int is 0xAARRGGBB (Bitmap.getPixels); alpha is dropped on the way in and
 * written as opaque on the way out.
 */

private const val MAX8 = 255f
private const val MAX16 = 65535f

/** Quantises one float to an integer level in [0, maxLevel]: clamp, scale, round half to even. */
fun toLevel(v: Float, maxLevel: Float): Int {
    // NaN (a broken model output) maps to 0 instead of an undefined level.
    val clamped = if (v.isNaN()) 0f else v.coerceIn(0f, 1f)
    return Math.rint((clamped * maxLevel).toDouble()).toInt()
}

/** ARGB_8888 pixels (row-major, [width] x [height]) to an RGB float image. */
fun argbToFloatImage(pixels: IntArray, width: Int, height: Int): FloatImage {
    require(pixels.size == width * height) { "got ${pixels.size} pixels for ${width}x$height" }
    val out = FloatArray(width * height * 3)
    for (p in pixels.indices) {
        val argb = pixels[p]
        out[p * 3] = ((argb ushr 16) and 0xFF).toFloat() / MAX8
        out[p * 3 + 1] = ((argb ushr 8) and 0xFF).toFloat() / MAX8
        out[p * 3 + 2] = (argb and 0xFF).toFloat() / MAX8
    }
    return FloatImage(height, width, 3, out)
}

/** An RGB float image to opaque ARGB_8888 pixels, clamped and rounded (never stretched). */
fun floatImageToArgb(image: FloatImage): IntArray {
    require(image.channels == 3) { "expected an RGB image, got ${image.channels} channels" }
    val d = image.data
    return IntArray(image.height * image.width) { p ->
        val r = toLevel(d[p * 3], MAX8)
        val g = toLevel(d[p * 3 + 1], MAX8)
        val b = toLevel(d[p * 3 + 2], MAX8)
        (0xFF shl 24) or (r shl 16) or (g shl 8) or b
    }
}

/**
 * 16-bit channel levels (0..65535, row-major, [srcChannels] per pixel: 3 for RGB, 4 for RGBA;
 * alpha dropped) to an RGB float image. This is how a 16-bit PNG's samples arrive when decoded
 * without going through a half-float bitmap.
 */
fun levels16ToFloatImage(levels: IntArray, width: Int, height: Int, srcChannels: Int = 3): FloatImage {
    require(srcChannels == 3 || srcChannels == 4) { "srcChannels must be 3 or 4, got $srcChannels" }
    require(levels.size == width * height * srcChannels) {
        "got ${levels.size} samples for ${width}x${height}x$srcChannels"
    }
    val out = FloatArray(width * height * 3)
    for (p in 0 until width * height) {
        for (c in 0 until 3) {
            val v = levels[p * srcChannels + c]
            require(v in 0..65535) { "16-bit level out of range: $v" }
            out[p * 3 + c] = v.toFloat() / MAX16
        }
    }
    return FloatImage(height, width, 3, out)
}

/** An RGB float image to 16-bit RGB levels (3 per pixel), clamped and rounded. */
fun floatImageToLevels16(image: FloatImage): IntArray {
    require(image.channels == 3) { "expected an RGB image, got ${image.channels} channels" }
    return IntArray(image.data.size) { toLevel(image.data[it], MAX16) }
}

/**
 * Android's RGBA_F16 pixels (Bitmap.copyPixelsToBuffer into a ShortBuffer: 4 IEEE half floats
 * per pixel, R G B A) to an RGB float image, clamped to [0, 1]. Decode 16-bit PNGs with
 * inPreferredColorSpace = EXTENDED_SRGB so these are sRGB-encoded like the training data, not
 * linear light.
 */
fun rgbaF16ToFloatImage(halves: ShortArray, width: Int, height: Int): FloatImage {
    require(halves.size == width * height * 4) { "got ${halves.size} halves for ${width}x${height}x4" }
    val out = FloatArray(width * height * 3)
    for (p in 0 until width * height) {
        for (c in 0 until 3) {
            val v = halfToFloat(halves[p * 4 + c])
            out[p * 3 + c] = if (v.isNaN()) 0f else v.coerceIn(0f, 1f)
        }
    }
    return FloatImage(height, width, 3, out)
}

/** IEEE 754 binary16 bits to float (exact: every half is a float). */
fun halfToFloat(bits: Short): Float {
    val h = bits.toInt() and 0xFFFF
    val sign = (h ushr 15) shl 31
    val exp = (h ushr 10) and 0x1F
    val mant = h and 0x3FF
    val f = when {
        exp == 0 && mant == 0 -> sign
        exp == 0 -> {
            // Subnormal half: normalise the mantissa into a float exponent.
            var e = -1
            var m = mant
            while (m and 0x400 == 0) { m = m shl 1; e++ }
            sign or ((127 - 15 - e) shl 23) or ((m and 0x3FF) shl 13)
        }
        exp == 0x1F -> sign or 0x7F800000 or (mant shl 13)
        else -> sign or ((exp - 15 + 127) shl 23) or (mant shl 13)
    }
    return Float.fromBits(f)
}
