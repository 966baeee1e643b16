package org.kerasmccnet.demo.ui

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.material3.Tab
import androidx.compose.material3.TabRow
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import org.kerasmccnet.demo.DeblurViewModel
import org.kerasmccnet.demo.Screen

/** The two screens under a tab row; every screen reads the one UiState. */
@Composable
fun DemoApp(viewModel: DeblurViewModel) {
    val state by viewModel.state.collectAsStateWithLifecycle()
    MaterialTheme {
        Surface(Modifier.fillMaxSize()) {
            Column(Modifier.fillMaxSize()) {
                TabRow(selectedTabIndex = state.screen.ordinal) {
                    Tab(selected = state.screen == Screen.DEBLUR, onClick = { viewModel.show(Screen.DEBLUR) },
                        text = { Text("Deblur") })
                    Tab(selected = state.screen == Screen.BENCHMARK, onClick = { viewModel.show(Screen.BENCHMARK) },
                        text = { Text("Benchmark") })
                }
                val content = Modifier.fillMaxSize().padding(12.dp)
                when (state.screen) {
                    Screen.DEBLUR -> DeblurScreen(state, viewModel, content)
                    Screen.BENCHMARK -> BenchmarkScreen(state, viewModel, content)
                }
            }
        }
    }
}
