package org.kerasmccnet.core

import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue

/** The defocus colouring, value by value as web_demo/src/app.js's paintDefocus computes it. */
class DefocusColorsTest {
    private fun map(vararg v: Float) = FloatImage(1, v.size, 1, v)

    private fun hex(argb: IntArray) = argb.map { "%08X".format(it) }

    @Test
    fun signedMapsDivergeBlueWhiteRedOverTheLargestMagnitude() {
        val m = map(-2f, -1f, 0f, 0.5f, 1f, 2f)
        val colors = DefocusColors.of(m)
        assertTrue(colors.signed)
        assertEquals(2.0, colors.scale)
        // -1 px: 255 * (1 - 0.5) = 127.5 -> 128, as the browser's Uint8ClampedArray stores it.
        assertEquals(
            listOf("FF0000FF", "FF8080FF", "FFFFFFFF", "FFFFBFBF", "FFFF8080", "FFFF0000"),
            hex(colors.argb(m)),
        )
        assertEquals("blue -2.000 … white 0 … red 2.000", colors.legend)
        // The scale is the larger side: one strong negative value makes the reds pale.
        val lopsided = DefocusColors.of(map(-4f, 1f))
        assertEquals(4.0, lopsided.scale)
        assertEquals("FFFFBFBF", hex(intArrayOf(lopsided.argb(1f)))[0])
    }

    @Test
    fun unsignedMapsRunBlackToYellowWithTiesRoundedToEven() {
        val m = map(0f, 0.125f, 0.5f, 1f)
        val colors = DefocusColors.of(m)
        assertFalse(colors.signed)
        // 0.125: r = 255 * 0.25 = 63.75 -> 64, b = 60 * 0.875 = 52.5 -> 52 (half to even, not 53).
        assertEquals(listOf("FF00003C", "FF400034", "FFFF001E", "FFFFFF00"), hex(colors.argb(m)))
        assertEquals("black 0 … yellow 1.000", colors.legend)
    }

    @Test
    fun degenerateMapsGetTheWebDemosFallbacks() {
        val zeros = DefocusColors.of(map(0f, 0f))
        assertEquals(1.0, zeros.scale)
        assertEquals("black 0 … yellow 1.000", zeros.legend)
        // A NaN makes the range NaN: scale 1, unsigned, and the NaN pixel itself black.
        val nan = DefocusColors.of(map(Float.NaN, -3f))
        assertFalse(nan.signed)
        assertEquals(1.0, nan.scale)
        assertEquals("FF000000", hex(intArrayOf(nan.argb(Float.NaN)))[0])
        // toFixed(3) on an exact tie rounds away from zero.
        assertEquals("blue -0.063 … white 0 … red 0.063", DefocusColors.of(map(-0.0625f, 0.01f)).legend)
        assertFailsWith<IllegalArgumentException> { DefocusColors.of(FloatImage(1, 1, 3, FloatArray(3))) }
    }

    @Test
    fun legendBarSpansTheScale() {
        val signed = DefocusColors.of(map(-2f, 2f))
        assertEquals(listOf("FF0000FF", "FF8080FF", "FFFFFFFF", "FFFF8080", "FFFF0000"), hex(signed.legendBar(5)))
        val unsigned = DefocusColors.of(map(0f, 3f))
        assertEquals(listOf("FF00003C", "FFFFFF00"), hex(unsigned.legendBar(2)))
        assertFailsWith<IllegalArgumentException> { signed.legendBar(1) }
    }
}
