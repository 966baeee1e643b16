package org.kerasmccnet.core

import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertSame

class DpSplitTest {
    private fun image(h: Int, w: Int, seed: Int) =
        FloatImage(h, w, 3, FloatArray(h * w * 3) { 0.3f + 0.4f * (((it * 7 + seed) % 200) / 199f) })

    @Test
    fun gainOneReturnsTheViewsAsRecorded() {
        val left = image(3, 4, 1)
        val right = image(3, 4, 9)
        val (l, r) = DpSplit.amplify(left, right, 1f)
        assertSame(left, l)
        assertSame(right, r)
    }

    @Test
    fun theDifferenceIsScaledAndTheMeanKept() {
        val left = image(3, 4, 1)
        val right = image(3, 4, 9)
        val (l, r) = DpSplit.amplify(left, right, 2.5f)
        for (i in left.data.indices) {
            assertEquals(2.5f * (left.data[i] - right.data[i]), l.data[i] - r.data[i], 1e-5f)
            assertEquals(left.data[i] + right.data[i], l.data[i] + r.data[i], 1e-5f)
        }
    }

    @Test
    fun badGainsAreRefused() {
        for (bad in listOf(0f, -1f, DpSplit.MAX_GAIN + 0.5f, Float.NaN, Float.POSITIVE_INFINITY)) {
            assertFailsWith<IllegalArgumentException>("gain $bad") { DpSplit.check(bad) }
        }
    }

    @Test
    fun thePipelineFeedsTheAmplifiedViewsAndReportsDefocusInRecordedPx() {
        // Model: image = its left input, defocus = left minus right of channel 0 (a disparity proxy)
        val model = TileModel { l, r ->
            TileOutputs(l.copyOf(), FloatArray(l.size / 3) { l[it * 3] - r[it * 3] })
        }
        val left = image(10, 12, 2)
        val right = image(10, 12, 7)
        val out = DeblurPipeline(8, 2, model).run(left, right, StageTimer { 0L }, DpAxisChoice.HORIZONTAL, splitGain = 2f)
        val (l, _) = DpSplit.amplify(left, right, 2f)
        for (i in out.image.data.indices) {
            assertEquals(l.data[i].coerceIn(0f, 1f), out.image.data[i], 1e-5f, "image at $i")
        }
        val defocus = out.defocus!!
        for (p in 0 until 10 * 12) {
            assertEquals(left.data[p * 3] - right.data[p * 3], defocus.data[p], 1e-5f, "defocus at $p")
        }
        assertFailsWith<IllegalArgumentException> {
            DeblurPipeline(8, 2, model).run(left, right, StageTimer { 0L }, splitGain = 0f)
        }
    }
}
