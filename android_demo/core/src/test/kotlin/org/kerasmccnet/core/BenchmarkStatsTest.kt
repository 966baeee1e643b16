package org.kerasmccnet.core

import kotlin.math.abs
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

class BenchmarkStatsTest {
    private fun close(expected: Double, actual: Double, what: String) =
        assertTrue(abs(expected - actual) <= 1e-12 * maxOf(1.0, abs(expected)), "$what: $actual vs numpy $expected")

    @Test
    fun matchesNumpyMedianAndLinearPercentile() {
        val cases = Golden.maps(Golden.load("stats.json")["cases"])
        assertTrue(cases.size >= 5)
        for (c in cases) {
            val s = BenchmarkStats.of(Golden.doubles(c["samples"]))
            close(c["median"] as Double, s.medianMs, "median")
            close(c["p90"] as Double, s.p90Ms, "p90")
            close(c["mean"] as Double, s.meanMs, "mean")
            assertEquals(c["min"] as Double, s.minMs)
            assertEquals(c["max"] as Double, s.maxMs)
        }
    }

    @Test
    fun percentileDefinitionOnASmallExample() {
        // sorted 10, 20, 30, 40: h = 3 * 0.9 = 2.7 -> 30 + 0.7 * 10 = 37.
        assertEquals(37.0, BenchmarkStats.percentile(listOf(10.0, 20.0, 30.0, 40.0), 90.0), 1e-12)
        assertEquals(25.0, BenchmarkStats.median(listOf(10.0, 20.0, 30.0, 40.0)))
        assertEquals(10.0, BenchmarkStats.percentile(listOf(10.0, 20.0), 0.0))
        assertEquals(20.0, BenchmarkStats.percentile(listOf(10.0, 20.0), 100.0))
        assertFailsWith<IllegalArgumentException> { BenchmarkStats.of(emptyList()) }
        assertFailsWith<IllegalArgumentException> { BenchmarkStats.percentile(listOf(1.0), 101.0) }
    }

    @Test
    fun warmupRunsAreExcluded() {
        // Fake clock: each run takes (run index + 1) ms; two slow warm-up runs first.
        val durations = longArrayOf(500, 400, 1, 2, 3, 4, 5).map { it * 1_000_000L }
        var now = 0L
        var run = 0
        var ticks = 0
        val clock = { if (ticks++ % 2 == 1) now += durations[run++]; now }
        var calls = 0
        val progress = ArrayList<Int>()
        val stats = runBenchmark(BenchmarkPlan(warmup = 2, runs = 5), clock, { k, _ -> progress.add(k) }) { calls++ }
        assertEquals(7, calls)
        assertEquals((1..7).toList(), progress)
        assertEquals(5, stats.runs)
        assertEquals(3.0, stats.medianMs)
        assertEquals(4.6, stats.p90Ms, 1e-12)
        assertEquals(5.0, stats.maxMs)
        assertFailsWith<IllegalArgumentException> { BenchmarkPlan(warmup = -1, runs = 3) }
        assertFailsWith<IllegalArgumentException> { BenchmarkPlan(warmup = 1, runs = 0) }
    }
}
