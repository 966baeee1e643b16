package org.kerasmccnet.demo

import android.content.res.AssetManager
import com.google.ai.edge.litert.Accelerator
import com.google.ai.edge.litert.CompiledModel
import com.google.ai.edge.litert.Environment
import com.google.ai.edge.litert.TensorBuffer
import com.google.ai.edge.litert.TensorBufferType
import com.google.ai.edge.litert.TensorType
import java.util.concurrent.Executors
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.withContext
import org.kerasmccnet.core.BenchmarkPlan
import org.kerasmccnet.core.BenchmarkStats
import org.kerasmccnet.core.DeblurPipeline
import org.kerasmccnet.core.DeblurResult
import org.kerasmccnet.core.FloatImage
import org.kerasmccnet.core.ModelMetadata
import org.kerasmccnet.core.ResourceStack
import org.kerasmccnet.core.StageTimer
import org.kerasmccnet.core.TensorDtype
import org.kerasmccnet.core.TensorSpec
import org.kerasmccnet.core.TileModel
import org.kerasmccnet.core.TileOutputs
import org.kerasmccnet.core.runBenchmark

/** The accelerator the user asks for. GPU falls back to CPU when LiteRT cannot use the GPU. */
enum class AcceleratorChoice { GPU, CPU }

/**
 * What actually runs the model after [ModelRunner.init]: the [accelerator] that took the graph and
 * the [evidence] for it, since LiteRT may fall back silently and a benchmark must never label a
 * CPU number as GPU.
 */
data class BackendReport(
    val requested: AcceleratorChoice,
    val accelerator: AcceleratorChoice,
    val cpuThreads: Int?,
    val evidence: String,
    /** False when LiteRT accepted the GPU request but nothing confirms the GPU took the graph. */
    val verified: Boolean = true,
) {
    val label: String
        get() = when (accelerator) {
            AcceleratorChoice.GPU -> if (verified) "GPU" else "GPU? (unconfirmed: may be CPU)"
            AcceleratorChoice.CPU -> "CPU (XNNPACK, ${cpuThreads ?: "default"} threads)"
        } + if (requested != accelerator) " - fell back from $requested" else ""
}

/**
 * Owns one LiteRT CompiledModel and runs it on a single dedicated thread: init, run and close all
 * happen there (LiteRT objects are not thread-safe), so callers just suspend. One instance per
 * app; [init] replaces the previous model.
 */
class ModelRunner(private val assets: AssetManager) {
    private val executor = Executors.newSingleThreadExecutor { r -> Thread(r, "mccnet-model") }
    private val modelThread = executor.asCoroutineDispatcher()

    // Touched only on modelThread.
    private var loaded: Loaded? = null

    /**
     * A compiled model with its buffers; [resources] owns them all (environment included).
     * [defocus] is the buffer of the optional defocus output (null when the model has none).
     */
    private class Loaded(
        val entry: ModelEntry,
        val compiled: CompiledModel,
        val left: TensorBuffer,
        val right: TensorBuffer,
        val output: TensorBuffer,
        val defocus: TensorBuffer?,
        val report: BackendReport,
        private val resources: ResourceStack,
    ) : TileModel {
        private val meta = entry.metadata

        /** One tile: NHWC float32 in, NHWC float32 out, quantised on the way for int8 I/O. */
        override fun run(left: FloatArray, right: FloatArray): TileOutputs {
            write(this.left, meta.left, left)
            write(this.right, meta.right, right)
            // Buffers are bound by tensor name, so the order of the signature's inputs and
            // outputs never matters (a swapped left/right pair would still "work" and silently
            // deblur worse; a swapped image/map pair would fail only on its size).
            val outputs = mutableMapOf(meta.output.name to output)
            val defocusSpec = meta.defocus
            if (defocus != null && defocusSpec != null) outputs[defocusSpec.name] = defocus
            compiled.run(mapOf("left" to this.left, "right" to this.right), outputs)
            return TileOutputs(
                read(output, meta.output),
                if (defocus != null && defocusSpec != null) read(defocus, defocusSpec) else null,
            )
        }

        private fun read(buffer: TensorBuffer, spec: TensorSpec): FloatArray = when (spec.dtype) {
            TensorDtype.FLOAT32 -> buffer.readFloat()
            TensorDtype.INT8 -> spec.quantization!!.dequantize(buffer.readInt8())
        }

        private fun write(buffer: TensorBuffer, spec: TensorSpec, values: FloatArray) = when (spec.dtype) {
            TensorDtype.FLOAT32 -> buffer.writeFloat(values)
            TensorDtype.INT8 -> buffer.writeInt8(spec.quantization!!.quantize(values))
        }

        /** Buffers first, then the compiled model, then the environment. */
        fun close() = resources.close()
    }

    /** Loads [entry] on [choice]; GPU failures fall back to CPU. Returns what actually runs. */
    suspend fun init(entry: ModelEntry, choice: AcceleratorChoice, cpuThreads: Int): BackendReport =
        withContext(modelThread) {
            val previous = loaded
            loaded = null
            previous?.close()
            // Everything opened below goes on the stack the moment it exists: if a later step
            // throws (a tensor type mismatch, createInputBuffer("right")), all of it is closed.
            val resources = ResourceStack()
            try {
                // One environment for the GPU attempt and the CPU fallback, owned here: a
                // CompiledModel.create that throws would not close an environment it made itself.
                val env = resources.push(Environment.create())
                val (compiled, report) = compile(entry.assetPath, env, choice, cpuThreads)
                resources.push(compiled)
                checkTensorTypes(compiled, entry.metadata)
                val left = resources.push(compiled.createInputBuffer("left"))
                val right = resources.push(compiled.createInputBuffer("right"))
                val output = resources.push(compiled.createOutputBuffer(entry.metadata.output.name))
                val defocus = entry.metadata.defocus?.let { resources.push(compiled.createOutputBuffer(it.name)) }
                loaded = Loaded(entry, compiled, left, right, output, defocus, report, resources)
                report
            } catch (e: Throwable) {
                resources.closeAfter(e)
                throw e
            }
        }

    private fun compile(assetPath: String, env: Environment, choice: AcceleratorChoice, cpuThreads: Int):
        Pair<CompiledModel, BackendReport> {
        if (choice == AcceleratorChoice.GPU) {
            // GPU alone, no CPU in the list: LiteRT then fails instead of silently running on the
            // CPU, and the fallback below says so.
            val compiled = try {
                CompiledModel.create(assets, assetPath, CompiledModel.Options(Accelerator.GPU), env)
            } catch (e: Exception) {
                return compileCpu(assetPath, env, choice, cpuThreads, "GPU unavailable: ${e.message ?: e.javaClass.simpleName}")
            }
            // Compiled "for GPU" is not proof: say what the compiled model shows, and never
            // label an unconfirmed run as a plain GPU number.
            val evidence = runCatching { gpuEvidence(compiled) }
                .getOrElse { GpuEvidence(false, "buffer requirements unavailable: ${it.message}") }
            return compiled to BackendReport(choice, AcceleratorChoice.GPU, null, evidence.text, evidence.onGpu)
        }
        return compileCpu(assetPath, env, choice, cpuThreads, "CPU requested")
    }

    private fun compileCpu(assetPath: String, env: Environment, requested: AcceleratorChoice, threads: Int, why: String):
        Pair<CompiledModel, BackendReport> {
        val options = CompiledModel.Options(Accelerator.CPU).apply {
            cpuOptions = CompiledModel.CpuOptions(numThreads = threads)
        }
        val compiled = CompiledModel.create(assets, assetPath, options, env)
        return compiled to BackendReport(requested, AcceleratorChoice.CPU, threads, why)
    }

    private class GpuEvidence(val onGpu: Boolean, val text: String)

    /**
     * Whether the GPU accelerator really took the model. LiteRT's Kotlin API has no direct query,
     * so read the buffer types the compiled model wants for its input: a GPU-resident graph asks
     * for OpenCL / OpenGL / WebGPU / Vulkan buffers, a CPU one only for host memory.
     */
    private fun gpuEvidence(compiled: CompiledModel): GpuEvidence {
        val types = compiled.getInputBufferRequirements("left").supportedTypes
        val gpuTypes = types.filter { it != TensorBufferType.HostMemory && it != TensorBufferType.Unknown }
        return GpuEvidence(gpuTypes.isNotEmpty(), "input buffer types $types")
    }

    /** The model file must match its metadata: (n, h, w, c) and element type, input by input. */
    private fun checkTensorTypes(compiled: CompiledModel, meta: ModelMetadata) {
        fun verify(kind: String, spec: TensorSpec, type: TensorType) {
            val dims = type.layout?.dimensions
            require(dims == null || dims == spec.shape) {
                "${meta.modelFile}: $kind '${spec.name}' has shape $dims, metadata says ${spec.shape} (n, h, w, c)"
            }
            val expected = when (spec.dtype) {
                TensorDtype.FLOAT32 -> TensorType.ElementType.FLOAT
                TensorDtype.INT8 -> TensorType.ElementType.INT8
            }
            require(type.elementType == expected) {
                "${meta.modelFile}: $kind '${spec.name}' is ${type.elementType}, metadata says ${spec.dtype}"
            }
        }
        verify("input", meta.left, compiled.getInputTensorType("left"))
        verify("input", meta.right, compiled.getInputTensorType("right"))
        verify("output", meta.output, compiled.getOutputTensorType(meta.output.name))
        meta.defocus?.let { verify("output", it, compiled.getOutputTensorType(it.name)) }
    }

    /**
     * Deblurs a full-resolution pair with the shared tiling rule, on the model thread, with the
     * camera's DP split gain (core DpSplit); the result holds the blended defocus map too when the
     * model has that output.
     */
    suspend fun deblur(
        left: FloatImage,
        right: FloatImage,
        timer: StageTimer,
        splitGain: Float,
        progress: (Int, Int) -> Unit,
    ): DeblurResult = withContext(modelThread) {
        val m = loaded ?: error("no model loaded")
        DeblurPipeline(m.entry.metadata.tileSize, m.entry.metadata.tileOverlap, m)
            .run(left, right, timer, splitGain = splitGain, progress = progress)
    }

    /** Times one tile inference (the model's own latency), warm-up excluded. */
    suspend fun benchmarkTile(plan: BenchmarkPlan, onRun: (Int, Int) -> Unit): BenchmarkStats =
        withContext(modelThread) {
            val m = loaded ?: error("no model loaded")
            val n = m.entry.metadata.left.elementCount
            // A smooth ramp, not zeros: some kernels take shortcuts on constant input.
            val l = FloatArray(n) { (it % 769) / 768f }
            val r = FloatArray(n) { ((it + 37) % 769) / 768f }
            runBenchmark(plan, System::nanoTime, onRun) { m.run(l, r) }
        }

    /** Releases the model; the runner cannot be used afterwards. Safe to call from any thread. */
    fun shutdown() {
        executor.execute {
            val last = loaded
            loaded = null
            last?.close()
        }
        executor.shutdown()
    }
}
