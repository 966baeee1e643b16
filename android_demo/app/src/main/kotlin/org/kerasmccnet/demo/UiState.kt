package org.kerasmccnet.demo

import android.graphics.Bitmap
import org.kerasmccnet.core.BenchmarkStats
import org.kerasmccnet.core.StageTimings

enum class Screen { DEBLUR, BENCHMARK }

/** One benchmark row: a model variant on an accelerator, and what really ran it. */
data class BenchmarkRow(
    val model: String,
    val quantMode: String,
    val requested: AcceleratorChoice,
    val backend: String,
    val stats: BenchmarkStats?,
    val error: String? = null,
)

/**
 * The defocus map of the last result, ready to show: the coloured [map], the legend's colour
 * [bar] and its [legend] line (the web demo's), and whether the map is [signed] (then red is
 * behind the focal plane, blue in front).
 */
data class DefocusView(val map: Bitmap, val bar: Bitmap, val legend: String, val signed: Boolean)

/**
 * Everything the UI shows, as one immutable value: the ViewModel publishes a new copy on every
 * change, the screens only read it.
 */
data class UiState(
    val screen: Screen = Screen.DEBLUR,
    val models: List<ModelEntry> = emptyList(),
    val selectedModel: Int = 0,
    val accelerator: AcceleratorChoice = AcceleratorChoice.GPU,
    val cpuThreads: Int = 4,
    /** The camera's DP split gain (core DpSplit): 1 for DPDD-like cameras, about 2 for the weak-split R6 (phones: calibrate). */
    val splitGain: Float = 1f,
    /** What actually ran the last deblur ("GPU", "CPU (XNNPACK, 4 threads) - fell back from GPU"). */
    val backend: String? = null,
    val backendEvidence: String? = null,
    val pairName: String? = null,
    /** The combined (L + R) / 2 view: what a normal camera would have recorded. */
    val before: Bitmap? = null,
    val after: Bitmap? = null,
    /** Shown when the model has the defocus output (`mccnet export --defocus`). */
    val defocus: DefocusView? = null,
    val slider: Float = 0.5f,
    val timings: StageTimings? = null,
    val tilesDone: Int = 0,
    val tilesTotal: Int = 0,
    val busy: Boolean = false,
    val message: String? = null,
    val benchmarkWarmup: Int = 3,
    val benchmarkRuns: Int = 20,
    val benchmarkRows: List<BenchmarkRow> = emptyList(),
    val benchmarkProgress: String? = null,
) {
    val selected: ModelEntry? get() = models.getOrNull(selectedModel)
    val canDeblur: Boolean get() = !busy && before != null && selected != null
}
