package org.kerasmccnet.core

/**
 * The DP split gain, as keras_mccnet.dp_split: a per-camera setting that scales the views'
 * difference about their mean, L' = C + k (L - R) / 2 and R' = C - k (L - R) / 2, so a camera with
 * a weak dual-pixel split (phones) looks to the model like the strong-split cameras it reads blur
 * from best. C = (L + R) / 2 is unchanged; 1 runs the views as recorded. Not clamped (the model
 * takes values slightly outside [0, 1]), the same float32 operations as Python.
 */
object DpSplit {
    /** Beyond this the difference image is mostly amplified noise. */
    const val MAX_GAIN = 4f

    fun check(gain: Float): Float {
        require(gain.isFinite() && gain > 0f && gain <= MAX_GAIN) {
            "split gain must be in (0, $MAX_GAIN], got $gain (1 = the views as recorded)"
        }
        return gain
    }

    fun amplify(left: FloatImage, right: FloatImage, gain: Float): Pair<FloatImage, FloatImage> {
        check(gain)
        require(left.height == right.height && left.width == right.width && left.channels == right.channels) {
            "left and right views differ in shape"
        }
        if (gain == 1f) return left to right
        val half = 0.5f * gain
        val l = FloatArray(left.data.size)
        val r = FloatArray(left.data.size)
        for (i in l.indices) {
            val center = 0.5f * (left.data[i] + right.data[i])
            val halfDifference = half * (left.data[i] - right.data[i])
            l[i] = center + halfDifference
            r[i] = center - halfDifference
        }
        return FloatImage(left.height, left.width, left.channels, l) to
            FloatImage(right.height, right.width, right.channels, r)
    }
}
