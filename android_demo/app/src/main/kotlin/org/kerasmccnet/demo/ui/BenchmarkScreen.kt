package org.kerasmccnet.demo.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.font.FontFamily
import androidx.compose.ui.unit.dp
import org.kerasmccnet.demo.DeblurViewModel
import org.kerasmccnet.demo.UiState

/**
 * Tile-inference latency of every bundled model on both accelerators: warm-up runs (not timed),
 * then N timed runs; median and p90 by linear interpolation (numpy's default, BenchmarkStats.kt).
 * The "ran on" column is what LiteRT really used, so a silent GPU -> CPU fallback is visible.
 */
@Composable
fun BenchmarkScreen(state: UiState, viewModel: DeblurViewModel, modifier: Modifier = Modifier) {
    Column(modifier.verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalAlignment = Alignment.CenterVertically) {
            Text("warm-up ${state.benchmarkWarmup}")
            OutlinedButton(onClick = { viewModel.setBenchmarkRuns(state.benchmarkWarmup + 1, state.benchmarkRuns) },
                enabled = !state.busy) { Text("+") }
            OutlinedButton(onClick = { viewModel.setBenchmarkRuns(state.benchmarkWarmup - 1, state.benchmarkRuns) },
                enabled = !state.busy) { Text("-") }
            Text("runs ${state.benchmarkRuns}")
            OutlinedButton(onClick = { viewModel.setBenchmarkRuns(state.benchmarkWarmup, state.benchmarkRuns * 2) },
                enabled = !state.busy) { Text("x2") }
            OutlinedButton(onClick = { viewModel.setBenchmarkRuns(state.benchmarkWarmup, state.benchmarkRuns / 2) },
                enabled = !state.busy) { Text("/2") }
        }
        Text("CPU threads: ${state.cpuThreads} (set on the Deblur tab)")
        Button(onClick = viewModel::runBenchmark, enabled = !state.busy && state.models.isNotEmpty()) {
            Text("Run benchmark")
        }
        state.benchmarkProgress?.let { Text(it) }
        state.message?.let { Text(it) }
        if (state.benchmarkRows.isNotEmpty()) {
            Text("model / mode / requested -> ran on: median, p90 (ms per tile)", fontFamily = FontFamily.Monospace)
        }
        for (row in state.benchmarkRows) {
            val numbers = row.stats?.let { "median %.1f  p90 %.1f  (n=%d)".format(it.medianMs, it.p90Ms, it.runs) }
                ?: "failed: ${row.error}"
            Text("${row.model} ${row.quantMode} ${row.requested} -> ${row.backend}: $numbers",
                fontFamily = FontFamily.Monospace)
        }
    }
}
