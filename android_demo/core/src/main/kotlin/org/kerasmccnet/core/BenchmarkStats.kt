package org.kerasmccnet.core

import kotlin.math.floor

/**
 * Summary of timed runs, warm-up excluded. Percentiles use linear interpolation between the two
 * nearest ranks (numpy's default method="linear", also Excel's PERCENTILE.INC): with the n sorted
 * samples x[0..n-1], the p-th percentile sits at virtual index h = (n - 1) * p / 100 and is
 * x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)]). The median is the 50th. Host
 * numbers from Python (np.median, np.percentile) and phone numbers are therefore comparable.
 */
data class BenchmarkStats(
    val runs: Int,
    val medianMs: Double,
    val p90Ms: Double,
    val meanMs: Double,
    val minMs: Double,
    val maxMs: Double,
) {
    companion object {
        /** Stats of [samplesMs] (the timed runs only; drop the warm-up before calling). */
        fun of(samplesMs: List<Double>): BenchmarkStats {
            require(samplesMs.isNotEmpty()) { "no timed runs to summarise" }
            require(samplesMs.all { it.isFinite() }) { "timings must be finite" }
            val sorted = samplesMs.sorted()
            return BenchmarkStats(
                runs = sorted.size,
                medianMs = median(sorted),
                p90Ms = percentile(sorted, 90.0),
                meanMs = sorted.sum() / sorted.size,
                minMs = sorted.first(),
                maxMs = sorted.last(),
            )
        }

        /** Median of already sorted values: the middle one, or the mean of the two middle ones. */
        fun median(sorted: List<Double>): Double {
            val n = sorted.size
            return if (n % 2 == 1) sorted[n / 2] else (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        }

        /** Linear-interpolation percentile of already sorted values, p in [0, 100]. */
        fun percentile(sorted: List<Double>, p: Double): Double {
            require(sorted.isNotEmpty()) { "no values" }
            require(p in 0.0..100.0) { "percentile must be in [0, 100], got $p" }
            val h = (sorted.size - 1) * (p / 100.0)
            val lo = floor(h).toInt()
            val hi = minOf(lo + 1, sorted.size - 1)
            val t = h - lo
            val a = sorted[lo]
            val b = sorted[hi]
            // numpy's _lerp: interpolate from the nearer end, which keeps the result monotone
            // and exact at t = 0 and t = 1.
            return if (t >= 0.5) b - (b - a) * (1 - t) else a + (b - a) * t
        }
    }
}

/** How a benchmark runs: [warmup] untimed runs (JIT, caches, GPU shader compilation), then [runs]. */
data class BenchmarkPlan(val warmup: Int, val runs: Int) {
    init {
        require(warmup >= 0) { "warm-up runs must be >= 0, got $warmup" }
        require(runs >= 1) { "timed runs must be >= 1, got $runs" }
    }
}

/**
 * Runs [body] warm-up + timed times and summarises the timed ones. [clockNanos] is injected
 * (System::nanoTime on the phone, a fake in tests); [onRun] reports progress (run, total).
 */
fun runBenchmark(
    plan: BenchmarkPlan,
    clockNanos: () -> Long,
    onRun: ((Int, Int) -> Unit)? = null,
    body: () -> Unit,
): BenchmarkStats {
    val total = plan.warmup + plan.runs
    val samples = ArrayList<Double>(plan.runs)
    for (k in 0 until total) {
        val t0 = clockNanos()
        body()
        val elapsed = clockNanos() - t0
        if (k >= plan.warmup) samples.add(elapsed / 1e6)
        onRun?.invoke(k + 1, total)
    }
    return BenchmarkStats.of(samples)
}
