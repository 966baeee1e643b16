package org.kerasmccnet.core

import kotlin.test.Test
import kotlin.test.assertEquals

class StageTimerTest {
    @Test
    fun sumsEachStageAndMeasuresTotalSinceCreation() {
        var now = 0L
        val timer = StageTimer { now }
        timer.time(Stage.DECODE) { now += 2_000_000 }
        repeat(3) {
            timer.time(Stage.INFERENCE) { now += 10_000_000 }
            timer.time(Stage.BLEND) { now += 1_000_000 }
        }
        now += 500_000 // untimed work still counts in the total
        val t = timer.timings()
        assertEquals(StageTimings(decodeMs = 2.0, preprocessMs = 0.0, inferenceMs = 30.0, blendMs = 3.0, totalMs = 35.5), t)
    }

    @Test
    fun timeReturnsTheBlockValueAndCountsFailures() {
        var now = 0L
        val timer = StageTimer { now }
        assertEquals(42, timer.time(Stage.PREPROCESS) { now += 1_000_000; 42 })
        runCatching { timer.time(Stage.PREPROCESS) { now += 1_000_000; error("boom") } }
        assertEquals(2.0, timer.millis(Stage.PREPROCESS))
    }
}
