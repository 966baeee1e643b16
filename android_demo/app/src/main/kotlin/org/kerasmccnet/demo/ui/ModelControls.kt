package org.kerasmccnet.demo.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.FilterChip
import androidx.compose.material3.Slider
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import org.kerasmccnet.demo.AcceleratorChoice
import org.kerasmccnet.demo.DeblurViewModel
import org.kerasmccnet.demo.UiState

/** Model variant, accelerator request and CPU thread count. */
@Composable
fun ModelControls(state: UiState, viewModel: DeblurViewModel) {
    Column(verticalArrangement = Arrangement.spacedBy(4.dp)) {
        if (state.models.isEmpty()) Text("No model in the assets: see README, 'Export a model into the app'.")
        state.models.forEachIndexed { i, entry ->
            FilterChip(selected = i == state.selectedModel, enabled = !state.busy,
                onClick = { viewModel.selectModel(i) }, label = { Text(entry.label) })
        }
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalAlignment = Alignment.CenterVertically) {
            Text("Request")
            AcceleratorChoice.values().forEach { choice ->
                FilterChip(selected = state.accelerator == choice, enabled = !state.busy,
                    onClick = { viewModel.selectAccelerator(choice) }, label = { Text(choice.name) })
            }
        }
        Row(Modifier.fillMaxWidth(), verticalAlignment = Alignment.CenterVertically) {
            Text("CPU threads ${state.cpuThreads}")
            Slider(value = state.cpuThreads.toFloat(), onValueChange = { viewModel.setCpuThreads(Math.round(it)) },
                valueRange = 1f..8f, steps = 6, enabled = !state.busy, modifier = Modifier.weight(1f))
        }
        // The camera's DP split gain (core DpSplit): 1 for DPDD-like cameras, about 2 for the weak-split R6 (phones: calibrate).
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalAlignment = Alignment.CenterVertically) {
            Text("DP split gain")
            SPLIT_GAINS.forEach { k ->
                FilterChip(selected = state.splitGain == k, enabled = !state.busy,
                    onClick = { viewModel.setSplitGain(k) }, label = { Text("%.1f".format(k)) })
            }
        }
    }
}

/** The split gains offered (benchmarks/results/split_gain.md: best 1 on DPDD, 2-2.5 on the R6). */
private val SPLIT_GAINS = listOf(1f, 1.5f, 2f, 2.5f)
