package org.kerasmccnet.demo.ui

import android.net.Uri
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.font.FontFamily
import androidx.compose.ui.unit.dp
import org.kerasmccnet.core.StageTimings
import org.kerasmccnet.demo.DeblurViewModel
import org.kerasmccnet.demo.UiState

@OptIn(ExperimentalLayoutApi::class)
@Composable
fun DeblurScreen(state: UiState, viewModel: DeblurViewModel, modifier: Modifier = Modifier) {
    // Two views: pick the left one, then the right one (remembered only between the two picks).
    var pendingLeft by remember { mutableStateOf<Uri?>(null) }
    val pickRight = rememberLauncherForActivityResult(ActivityResultContracts.OpenDocument()) { right ->
        val left = pendingLeft
        pendingLeft = null
        if (left != null && right != null) viewModel.loadTwoImages(left, right)
    }
    val pickLeft = rememberLauncherForActivityResult(ActivityResultContracts.OpenDocument()) { left ->
        if (left != null) {
            pendingLeft = left
            pickRight.launch(arrayOf("image/*"))
        }
    }
    val pickSideBySide = rememberLauncherForActivityResult(ActivityResultContracts.OpenDocument()) { uri ->
        if (uri != null) viewModel.loadSideBySide(uri)
    }
    val saveResult = rememberLauncherForActivityResult(ActivityResultContracts.CreateDocument("image/png")) { uri ->
        if (uri != null) viewModel.save(uri)
    }

    Column(modifier.verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        ModelControls(state, viewModel)
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            OutlinedButton(onClick = viewModel::loadSample, enabled = !state.busy) { Text("Sample pair") }
            OutlinedButton(onClick = { pickLeft.launch(arrayOf("image/*")) }, enabled = !state.busy) {
                Text("Left + right images")
            }
            OutlinedButton(onClick = { pickSideBySide.launch(arrayOf("image/*")) }, enabled = !state.busy) {
                Text("Side-by-side image")
            }
        }
        state.pairName?.let { Text("Pair: $it") }
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            Button(onClick = viewModel::deblur, enabled = state.canDeblur) { Text("Deblur") }
            OutlinedButton(onClick = { saveResult.launch("mccnet_deblurred.png") },
                enabled = !state.busy && state.after != null) { Text("Save result") }
        }
        if (state.busy && state.tilesTotal > 0) {
            LinearProgressIndicator(progress = { state.tilesDone.toFloat() / state.tilesTotal },
                modifier = Modifier.fillMaxWidth())
            Text("tile ${state.tilesDone} / ${state.tilesTotal}")
        }
        state.backend?.let { Text("Ran on: $it") }
        state.backendEvidence?.let { Text(it, fontFamily = FontFamily.Monospace) }
        state.message?.let { Text(it) }
        state.before?.let { before ->
            BeforeAfter(before, state.after, state.slider, viewModel::setSlider)
        }
        state.defocus?.let { DefocusMap(it) }
        state.timings?.let { TimingTable(it) }
    }
}

@Composable
private fun TimingTable(t: StageTimings) {
    Column {
        for ((stage, ms) in listOf(
            "decode" to t.decodeMs, "preprocess" to t.preprocessMs, "inference" to t.inferenceMs,
            "blend" to t.blendMs, "total" to t.totalMs,
        )) {
            Text("%-11s %9.1f ms".format(stage, ms), fontFamily = FontFamily.Monospace)
        }
    }
}
