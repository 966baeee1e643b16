package org.kerasmccnet.demo

import android.app.Application
import android.net.Uri
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.viewModelScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import org.kerasmccnet.core.BenchmarkPlan
import org.kerasmccnet.core.DefocusColors
import org.kerasmccnet.core.DpAxisMeasurement
import org.kerasmccnet.core.DpSplit
import org.kerasmccnet.core.FloatImage
import org.kerasmccnet.core.Stage
import org.kerasmccnet.core.StageTimer
import org.kerasmccnet.core.StageTimings
import org.kerasmccnet.core.splitSideBySide

/**
 * Holds the one [UiState] and all work behind it. Model access goes through the single-threaded
 * [ModelRunner]; decoding runs on Dispatchers.Default; the UI thread only renders state.
 */
class DeblurViewModel(app: Application) : AndroidViewModel(app) {
    private val _state = MutableStateFlow(UiState())
    val state: StateFlow<UiState> = _state.asStateFlow()

    private val runner = ModelRunner(app.assets)
    private val imageIo = ImageIo(app.contentResolver, app.assets)

    /** The runner's current configuration, to re-initialise only when it changes. */
    private var runnerKey: Triple<String, AcceleratorChoice, Int>? = null
    private var runnerReport: BackendReport? = null

    /** The loaded pair, kept out of UiState: large float buffers, not something to render. */
    private var pair: LoadedPair? = null

    private class LoadedPair(val left: FloatImage, val right: FloatImage, val loadTimings: StageTimings)

    private var result: FloatImage? = null

    init {
        viewModelScope.launch {
            val catalog = withContext(Dispatchers.IO) { loadCatalog(app.assets) }
            _state.update {
                it.copy(models = catalog.models, message = catalog.problems.joinToString("\n").ifEmpty { null })
            }
            loadSample()
        }
    }

    fun show(screen: Screen) = _state.update { it.copy(screen = screen) }
    fun selectModel(index: Int) = _state.update { it.copy(selectedModel = index) }
    fun selectAccelerator(choice: AcceleratorChoice) = _state.update { it.copy(accelerator = choice) }
    fun setCpuThreads(n: Int) = _state.update { it.copy(cpuThreads = n.coerceIn(1, 8)) }
    fun setSplitGain(k: Float) = _state.update { it.copy(splitGain = DpSplit.check(k)) }
    fun setSlider(v: Float) = _state.update { it.copy(slider = v.coerceIn(0f, 1f)) }
    fun setBenchmarkRuns(warmup: Int, runs: Int) =
        _state.update { it.copy(benchmarkWarmup = warmup.coerceIn(0, 50), benchmarkRuns = runs.coerceIn(1, 500)) }

    fun loadSample() = loadPair("sample pair") { timer ->
        imageIo.load(ImageSource.Asset("sample/sample_L.png"), timer) to
            imageIo.load(ImageSource.Asset("sample/sample_R.png"), timer)
    }

    fun loadTwoImages(left: Uri, right: Uri) = loadPair("${left.lastPathSegment} + ${right.lastPathSegment}") { timer ->
        imageIo.load(ImageSource.Document(left), timer) to imageIo.load(ImageSource.Document(right), timer)
    }

    fun loadSideBySide(uri: Uri) = loadPair("${uri.lastPathSegment} (side by side)") { timer ->
        splitSideBySide(imageIo.load(ImageSource.Document(uri), timer))
    }

    private fun loadPair(name: String, load: (StageTimer) -> Pair<FloatImage, FloatImage>) {
        viewModelScope.launch {
            _state.update { it.copy(busy = true, message = null) }
            try {
                val loaded = withContext(Dispatchers.Default) {
                    val timer = StageTimer(System::nanoTime)
                    val (l, r) = load(timer)
                    require(l.width == r.width && l.height == r.height) {
                        "the two views differ in size: ${l.width}x${l.height} vs ${r.width}x${r.height}"
                    }
                    LoadedPair(l, r, timer.timings()) to toBitmap(combinedView(l, r))
                }
                pair = loaded.first
                result = null
                _state.update {
                    it.copy(pairName = name, before = loaded.second, after = null, defocus = null, timings = null,
                        tilesDone = 0, tilesTotal = 0)
                }
            } catch (e: Exception) {
                _state.update { it.copy(message = "Could not load $name: ${e.message}") }
            } finally {
                _state.update { it.copy(busy = false) }
            }
        }
    }

    /** Loads the selected model on the selected accelerator unless that is what is loaded already. */
    private suspend fun ensureRunner(s: UiState, entry: ModelEntry): BackendReport {
        val key = Triple(entry.assetPath, s.accelerator, s.cpuThreads)
        runnerReport?.takeIf { runnerKey == key }?.let { return it }
        runnerKey = null
        val report = runner.init(entry, s.accelerator, s.cpuThreads)
        runnerKey = key
        runnerReport = report
        return report
    }

    fun deblur() {
        val s = _state.value
        val entry = s.selected ?: return
        val p = pair ?: return
        viewModelScope.launch {
            _state.update { it.copy(busy = true, message = null, tilesDone = 0, tilesTotal = 0) }
            try {
                val report = ensureRunner(s, entry)
                _state.update { it.copy(backend = report.label, backendEvidence = report.evidence) }
                val timer = StageTimer(System::nanoTime)
                val out = runner.deblur(p.left, p.right, timer, s.splitGain) { k, n ->
                    _state.update { it.copy(tilesDone = k, tilesTotal = n) }
                }
                val (bitmap, defocus) = withContext(Dispatchers.Default) {
                    timer.time(Stage.BLEND) { toBitmap(out.image) to out.defocus?.let(::defocusView) }
                }
                val run = timer.timings()
                val load = p.loadTimings
                result = out.image
                _state.update {
                    it.copy(
                        after = bitmap,
                        defocus = defocus,
                        // a top / bottom DP split is run transposed (core DpAxis): say so
                        message = if (out.transposed) transposedNote(out.dpAxis) else null,
                        timings = StageTimings(
                            decodeMs = load.decodeMs,
                            preprocessMs = load.preprocessMs + run.preprocessMs,
                            inferenceMs = run.inferenceMs,
                            blendMs = run.blendMs,
                            totalMs = load.totalMs + run.totalMs,
                        ),
                    )
                }
            } catch (e: Exception) {
                runnerKey = null
                _state.update { it.copy(message = "Deblur failed: ${e.message}") }
            } finally {
                _state.update { it.copy(busy = false) }
            }
        }
    }

    private fun defocusView(map: FloatImage): DefocusView {
        val colors = DefocusColors.of(map)
        return DefocusView(defocusBitmap(map, colors), legendBarBitmap(colors), colors.legend, colors.signed)
    }

    fun save(uri: Uri) {
        val out = result ?: return
        viewModelScope.launch {
            try {
                withContext(Dispatchers.IO) { imageIo.savePng(out, uri) }
                _state.update { it.copy(message = "Saved ${uri.lastPathSegment}") }
            } catch (e: Exception) {
                _state.update { it.copy(message = "Save failed: ${e.message}") }
            }
        }
    }

    /** Every model on both accelerators: warm-up, N timed tile inferences, median and p90. */
    fun runBenchmark() {
        val s = _state.value
        if (s.busy || s.models.isEmpty()) return
        val plan = BenchmarkPlan(s.benchmarkWarmup, s.benchmarkRuns)
        viewModelScope.launch {
            _state.update { it.copy(busy = true, benchmarkRows = emptyList(), message = null) }
            val rows = ArrayList<BenchmarkRow>()
            try {
                for (entry in s.models) for (choice in AcceleratorChoice.values()) {
                    val name = entry.metadata.modelName
                    _state.update { it.copy(benchmarkProgress = "$name ${entry.metadata.quantMode} on $choice: loading") }
                    val row = try {
                        runnerKey = null
                        val report = runner.init(entry, choice, s.cpuThreads)
                        val stats = runner.benchmarkTile(plan) { k, n ->
                            _state.update { it.copy(benchmarkProgress = "$name ${entry.metadata.quantMode} on ${report.label}: run $k/$n") }
                        }
                        BenchmarkRow(name, entry.metadata.quantMode, choice, report.label, stats)
                    } catch (e: Exception) {
                        BenchmarkRow(name, entry.metadata.quantMode, choice, "-", null, e.message ?: e.javaClass.simpleName)
                    }
                    rows.add(row)
                    _state.update { it.copy(benchmarkRows = rows.toList()) }
                }
            } finally {
                runnerKey = null
                runnerReport = null
                _state.update { it.copy(busy = false, benchmarkProgress = null) }
            }
        }
    }

    override fun onCleared() {
        runner.shutdown()
    }

    private fun transposedNote(m: DpAxisMeasurement?): String =
        if (m == null) "Run transposed (top / bottom DP split)"
        else "Top / bottom DP split measured (%.2f px along columns, %.2f along rows): run transposed"
            .format(m.verticalShift, m.horizontalShift)
}
