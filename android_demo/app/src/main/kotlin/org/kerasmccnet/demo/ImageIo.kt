package org.kerasmccnet.demo

import android.content.ContentResolver
import android.graphics.Bitmap
import android.graphics.BitmapFactory
import android.graphics.ColorSpace
import android.net.Uri
import java.io.IOException
import java.io.InputStream
import java.nio.ShortBuffer
import org.kerasmccnet.core.DefocusColors
import org.kerasmccnet.core.FloatImage
import org.kerasmccnet.core.Stage
import org.kerasmccnet.core.StageTimer
import org.kerasmccnet.core.argbToFloatImage
import org.kerasmccnet.core.floatImageToArgb
import org.kerasmccnet.core.rgbaF16ToFloatImage

/** Where an image comes from: a bundled asset or a document the user picked. */
sealed interface ImageSource {
    val name: String

    data class Asset(val path: String) : ImageSource {
        override val name get() = path.substringAfterLast('/')
    }

    data class Document(val uri: Uri) : ImageSource {
        override val name get() = uri.lastPathSegment ?: uri.toString()
    }
}

/**
 * Decodes images into the model's float layout. 8-bit files go through ARGB_8888 pixels (/255);
 * 16-bit PNGs through RGBA_F16 in *extended sRGB* -- the sRGB-encoded values the model was trained
 * on, not the linear light Android would otherwise pick for half-float bitmaps. Decoding is timed
 * as [Stage.DECODE], packing to floats as [Stage.PREPROCESS].
 */
class ImageIo(private val resolver: ContentResolver, private val assets: android.content.res.AssetManager) {
    companion object {
        /** Largest image decoded: DPDD frames are 1.9 MP; a 6 MP pair needs about 420 MB. */
        const val MAX_PIXELS = 6_000_000L
    }

    private fun open(source: ImageSource): InputStream = when (source) {
        is ImageSource.Asset -> assets.open(source.path)
        is ImageSource.Document -> resolver.openInputStream(source.uri)
            ?: throw IOException("cannot open ${source.uri}")
    }

    fun load(source: ImageSource, timer: StageTimer): FloatImage {
        val bitmap = timer.time(Stage.DECODE) { decode(source) }
        try {
            return timer.time(Stage.PREPROCESS) { toFloatImage(bitmap) }
        } finally {
            bitmap.recycle()
        }
    }

    private fun decode(source: ImageSource): Bitmap {
        val bounds = BitmapFactory.Options().apply { inJustDecodeBounds = true }
        open(source).use { BitmapFactory.decodeStream(it, null, bounds) }
        if (bounds.outWidth <= 0 || bounds.outHeight <= 0) throw IOException("${source.name} is not an image")
        if (bounds.outWidth.toLong() * bounds.outHeight > MAX_PIXELS) {
            throw IOException(
                "${source.name} is ${bounds.outWidth}x${bounds.outHeight}; this demo holds whole images " +
                    "as floats (about 70 bytes per pixel for a pair) and stops at ${MAX_PIXELS / 1_000_000} MP",
            )
        }
        val wide = bounds.outConfig == Bitmap.Config.RGBA_F16
        val options = BitmapFactory.Options().apply {
            inPreferredConfig = if (wide) Bitmap.Config.RGBA_F16 else Bitmap.Config.ARGB_8888
            inPreferredColorSpace = ColorSpace.get(if (wide) ColorSpace.Named.EXTENDED_SRGB else ColorSpace.Named.SRGB)
            inScaled = false
        }
        return open(source).use { BitmapFactory.decodeStream(it, null, options) }
            ?: throw IOException("cannot decode ${source.name}")
    }

    private fun toFloatImage(bitmap: Bitmap): FloatImage {
        val w = bitmap.width
        val h = bitmap.height
        return if (bitmap.config == Bitmap.Config.RGBA_F16) {
            val halves = ShortBuffer.allocate(w * h * 4)
            bitmap.copyPixelsToBuffer(halves)
            rgbaF16ToFloatImage(halves.array(), w, h)
        } else {
            val pixels = IntArray(w * h)
            bitmap.getPixels(pixels, 0, w, 0, 0, w, h)
            argbToFloatImage(pixels, w, h)
        }
    }

    /** Writes [image] as an 8-bit PNG (clamped and rounded, never stretched) to [uri]. */
    fun savePng(image: FloatImage, uri: Uri) {
        val bitmap = toBitmap(image)
        try {
            resolver.openOutputStream(uri)?.use { out ->
                if (!bitmap.compress(Bitmap.CompressFormat.PNG, 100, out)) throw IOException("PNG encoding failed")
            } ?: throw IOException("cannot write $uri")
        } finally {
            bitmap.recycle()
        }
    }
}

/** An RGB float image as a displayable ARGB_8888 bitmap (clamp + round, like the saved file). */
fun toBitmap(image: FloatImage): Bitmap =
    Bitmap.createBitmap(floatImageToArgb(image), image.width, image.height, Bitmap.Config.ARGB_8888)

/** A defocus map (h x w x 1) coloured by [colors] (the web demo's colouring, DefocusColors.kt). */
fun defocusBitmap(map: FloatImage, colors: DefocusColors): Bitmap =
    Bitmap.createBitmap(colors.argb(map), map.width, map.height, Bitmap.Config.ARGB_8888)

/** The legend's colour bar: [width] x 1 px, from the legend's left end to its right end. */
fun legendBarBitmap(colors: DefocusColors, width: Int = 256): Bitmap =
    Bitmap.createBitmap(colors.legendBar(width), width, 1, Bitmap.Config.ARGB_8888)

/** The image a normal camera would record from the pair: the mean of the two DP views. */
fun combinedView(left: FloatImage, right: FloatImage): FloatImage =
    FloatImage(left.height, left.width, 3, FloatArray(left.data.size) { (left.data[it] + right.data[it]) * 0.5f })
