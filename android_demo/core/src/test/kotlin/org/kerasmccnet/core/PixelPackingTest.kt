package org.kerasmccnet.core

import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

class PixelPackingTest {
    private val golden = Golden.load("packing.json")

    @Test
    fun eightBitLevelsToFloatMatchPython() {
        val levels = Golden.ints(golden["levels8"])
        val pixels = levels.map { v -> (0xFF shl 24) or (v shl 16) or (v shl 8) or v }.toIntArray()
        val img = argbToFloatImage(pixels, levels.size, 1)
        val expected = Golden.floats(golden["levels8_to_float"])
        for (c in 0 until 3) {
            val channel = FloatArray(levels.size) { img[0, it, c] }
            assertEquals(-1, Golden.firstBitMismatch(expected, channel), "channel $c")
        }
    }

    @Test
    fun floatsToLevelsMatchPythonRoundingAndClamp() {
        val probe = Golden.floats(golden["probe_floats"])
        val want8 = Golden.ints(golden["probe_to_level8"])
        val want16 = Golden.ints(golden["probe_to_level16"])
        assertEquals(want8, probe.map { toLevel(it, 255f) })
        assertEquals(want16, probe.map { toLevel(it, 65535f) })
    }

    @Test
    fun sixteenBitLevelsToFloatMatchPython() {
        val levels = Golden.ints(golden["levels16"])
        val samples = levels.flatMap { listOf(it, it, it) }.toIntArray()
        val img = levels16ToFloatImage(samples, levels.size, 1)
        val expected = Golden.floats(golden["levels16_to_float"])
        assertEquals(-1, Golden.firstBitMismatch(expected, FloatArray(levels.size) { img[0, it, 1] }))
        // And back: every level survives the round trip exactly.
        assertEquals(samples.toList(), floatImageToLevels16(img).toList())
    }

    @Test
    fun halfFloatsDecodeLikeNumpy() {
        val bits = Golden.ints(golden["half_bits"])
        val want = golden["half_to_float"] as List<*>
        for ((b, w) in bits.zip(want)) {
            val got = halfToFloat(b.toShort())
            val expected = when (w) {
                "inf" -> Float.POSITIVE_INFINITY
                "-inf" -> Float.NEGATIVE_INFINITY
                else -> (w as Double).toFloat()
            }
            assertEquals(expected.toRawBits(), got.toRawBits(), "half 0x${b.toString(16)}: $got vs $expected")
        }
    }

    @Test
    fun argbRoundTripIsExactAndOutputIsOpaqueRgb() {
        val pixels = intArrayOf(0x00123456, 0x7F000000, 0xFFFFFFFF.toInt(), 0x80ABCDEF.toInt())
        val back = floatImageToArgb(argbToFloatImage(pixels, 2, 2))
        assertEquals(pixels.map { it or (0xFF shl 24) }, back.toList())
        // Channel order: red is bits 16..23 of ARGB and channel 0 of the float image.
        assertEquals(0x12 / 255f, argbToFloatImage(pixels, 2, 2)[0, 0, 0])
    }

    @Test
    fun outputsAreClampedNeverStretched() {
        // A dim image must stay dim: a min-max stretch would turn 0.1..0.2 into 0..255.
        val img = FloatImage(1, 3, 3, floatArrayOf(0.1f, 0.1f, 0.1f, 0.2f, 0.2f, 0.2f, -0.3f, 1.7f, Float.NaN))
        val argb = floatImageToArgb(img)
        assertEquals(0xFF1A1A1A.toInt(), argb[0]) // 0.1 * 255 -> 26
        assertEquals(0xFF333333.toInt(), argb[1])
        assertEquals(0xFF00FF00.toInt(), argb[2])
    }

    @Test
    fun rgbaF16DropsAlphaAndClamps() {
        // 1.0 = 0x3C00, 0.5 = 0x3800, 2.0 = 0x4000 (clamped), alpha ignored.
        val halves = shortArrayOf(0x3C00, 0x3800, 0x4000, 0x1234)
        val img = rgbaF16ToFloatImage(halves, 1, 1)
        assertEquals(listOf(1f, 0.5f, 1f), img.data.toList())
    }

    @Test
    fun rejectsWrongSizes() {
        assertFailsWith<IllegalArgumentException> { argbToFloatImage(IntArray(5), 2, 2) }
        assertFailsWith<IllegalArgumentException> { levels16ToFloatImage(IntArray(12), 2, 2, 4) }
        assertFailsWith<IllegalArgumentException> { levels16ToFloatImage(intArrayOf(0, 0, 70000), 1, 1) }
        assertTrue(runCatching { floatImageToArgb(FloatImage(1, 1, 1, floatArrayOf(0f))) }.isFailure)
    }
}
