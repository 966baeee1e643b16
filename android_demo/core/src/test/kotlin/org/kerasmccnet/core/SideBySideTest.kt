package org.kerasmccnet.core

import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

class SideBySideTest {
    @Test
    fun splitsEachRowIntoLeftAndRightHalves() {
        // 4 x 2 image: row y holds 10y + x.
        val pixels = IntArray(8) { (it / 4) * 10 + it % 4 }
        val pair = splitSideBySide(pixels, 4, 2)
        assertEquals(2, pair.width)
        assertEquals(2, pair.height)
        assertEquals(listOf(0, 1, 10, 11), pair.left.toList())
        assertEquals(listOf(2, 3, 12, 13), pair.right.toList())
    }

    @Test
    fun splitsFloatImagesTheSameWay() {
        val pixels = IntArray(8) { (0xFF shl 24) or ((it / 4) * 10 + it % 4) }
        val (l, r) = splitSideBySide(argbToFloatImage(pixels, 4, 2))
        val ints = splitSideBySide(pixels, 4, 2)
        assertEquals(ints.left.toList(), floatImageToArgb(l).toList())
        assertEquals(ints.right.toList(), floatImageToArgb(r).toList())
        assertFailsWith<IllegalArgumentException> { splitSideBySide(FloatImage(1, 3, 3, FloatArray(9))) }
    }

    @Test
    fun refusesOddWidthsAndWrongSizes() {
        assertFailsWith<IllegalArgumentException> { splitSideBySide(IntArray(6), 3, 2) }
        assertFailsWith<IllegalArgumentException> { splitSideBySide(IntArray(7), 4, 2) }
        assertFailsWith<IllegalArgumentException> { DpPairPixels(2, 2, IntArray(4), IntArray(3)) }
    }
}
