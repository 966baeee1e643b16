package org.kerasmccnet.core

import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/** DefocusColors against the web demo's own paintDefocus (defocus_colors.json, run by node). */
class DefocusColorsWebGoldenTest {
    @Test
    fun levelsAndLegendsEqualTheWebDemos() {
        val cases = Golden.maps(Golden.load("defocus_colors.json")["cases"])
        assertTrue(cases.size >= 8 && cases.sumOf { (it["values"] as List<*>).size } >= 500)
        for ((i, c) in cases.withIndex()) {
            val map = Golden.floats(c["values"]).let { FloatImage(1, it.size, 1, it) }
            val colors = DefocusColors.of(map)
            val rgb = colors.argb(map).flatMap { listOf((it shr 16) and 0xFF, (it shr 8) and 0xFF, it and 0xFF) }
            assertEquals(Golden.ints(c["rgb"]), rgb, "levels of case $i")
            assertEquals(c["legend"], colors.legend, "legend of case $i")
        }
    }
}
