package org.kerasmccnet.core

/** The stages a deblur is timed in, in the order the UI lists them. */
enum class Stage { DECODE, PREPROCESS, INFERENCE, BLEND }

/** Milliseconds per stage and in total (total also covers what no stage claims: allocation, UI). */
data class StageTimings(
    val decodeMs: Double,
    val preprocessMs: Double,
    val inferenceMs: Double,
    val blendMs: Double,
    val totalMs: Double,
)

/**
 * Sums the time spent in each [Stage] over many calls (one deblur runs preprocess, inference and
 * blend once per tile). The clock is injected: System::nanoTime on the phone, a fake in tests.
 * Not thread-safe: one timer per deblur, used from the model thread.
 */
class StageTimer(private val clockNanos: () -> Long) {
    private val startNanos = clockNanos()
    private val totals = LongArray(Stage.values().size)

    fun <T> time(stage: Stage, block: () -> T): T {
        val t0 = clockNanos()
        try {
            return block()
        } finally {
            totals[stage.ordinal] += clockNanos() - t0
        }
    }

    fun millis(stage: Stage): Double = totals[stage.ordinal] / 1e6

    /** The per-stage sums so far, with total = time since this timer was created. */
    fun timings(): StageTimings = StageTimings(
        decodeMs = millis(Stage.DECODE),
        preprocessMs = millis(Stage.PREPROCESS),
        inferenceMs = millis(Stage.INFERENCE),
        blendMs = millis(Stage.BLEND),
        totalMs = (clockNanos() - startNanos) / 1e6,
    )
}
