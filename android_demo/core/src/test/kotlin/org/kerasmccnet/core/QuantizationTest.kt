package org.kerasmccnet.core

import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

class QuantizationTest {
    @Test
    fun quantizeRoundsHalfToEvenAndSaturates() {
        // scale 0.5 keeps the arithmetic exact: 1.25 -> 2.5 -> 2 and 1.75 -> 3.5 -> 4 (half to even).
        val q = Quantization(scale = 0.5f, zeroPoint = -128)
        val bytes = q.quantize(floatArrayOf(0f, 1f, 1.25f, 1.75f, -5f, 200f, Float.NaN, 1e30f))
        assertEquals(listOf(-128, -126, -126, -124, -128, 127, -128, 127), bytes.map { it.toInt() })
    }

    @Test
    fun zeroPointIsAddedBeforeRounding() {
        // 0.25 / 0.5 = 0.5; + 3 = 3.5 -> 4 (half to even). Rounding first would give 0 + 3 = 3.
        assertEquals(4, Quantization(0.5f, 3).quantize(floatArrayOf(0.25f))[0].toInt())
    }

    @Test
    fun dequantizeInvertsQuantizeWithinHalfAStep() {
        val q = Quantization(scale = 0.01f, zeroPoint = 3)
        val values = FloatArray(50) { -1.2f + it * 0.037f }
        val back = q.dequantize(q.quantize(values))
        for (i in values.indices) assertEquals(values[i], back[i], 0.005f + 1e-6f)
    }

    @Test
    fun rejectsBadParameters() {
        assertFailsWith<IllegalArgumentException> { Quantization(0f, 0) }
        assertFailsWith<IllegalArgumentException> { Quantization(0.1f, 200) }
    }
}
