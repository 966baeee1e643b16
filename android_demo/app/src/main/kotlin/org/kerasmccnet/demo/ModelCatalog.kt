package org.kerasmccnet.demo

import android.content.res.AssetManager
import org.kerasmccnet.core.MetadataException
import org.kerasmccnet.core.ModelMetadata

/** A model file in the assets with its parsed, validated metadata. */
data class ModelEntry(val assetPath: String, val metadata: ModelMetadata) {
    val label: String
        get() = "${metadata.modelName} ${metadata.quantMode} (${metadata.tileSize}px tiles" +
            (if (metadata.defocus != null) ", + defocus map)" else ")")
}

/** What the assets hold: usable models, and a line per file that could not be used. */
data class Catalog(val models: List<ModelEntry>, val problems: List<String>)

/**
 * Finds the models copied into assets/models by the copyModelAssets Gradle task: every .json there
 * is read as model metadata and must name a .tflite that is present.
 */
fun loadCatalog(assets: AssetManager, folder: String = "models"): Catalog {
    val files = assets.list(folder)?.toSet() ?: emptySet()
    val models = ArrayList<ModelEntry>()
    val problems = ArrayList<String>()
    for (name in files.filter { it.endsWith(".json") }.sorted()) {
        val text = assets.open("$folder/$name").bufferedReader().use { it.readText() }
        try {
            val meta = ModelMetadata.parse(text, name)
            if (!meta.modelFile.endsWith(".tflite")) {
                problems.add("$name: ${meta.modelFile} is not a LiteRT model, skipped")
            } else if (meta.modelFile in files) {
                models.add(ModelEntry("$folder/${meta.modelFile}", meta))
            } else {
                problems.add("$name: model file ${meta.modelFile} is not in the assets")
            }
        } catch (e: MetadataException) {
            problems.add(e.message ?: name)
        }
    }
    if (files.isEmpty()) problems.add("no models in assets/$folder: export one and rebuild (see README)")
    return Catalog(models, problems)
}
