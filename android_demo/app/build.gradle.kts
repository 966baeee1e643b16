import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    alias(libs.plugins.android.application)
    alias(libs.plugins.kotlin.android)
    alias(libs.plugins.kotlin.compose)
}

android {
    namespace = "org.kerasmccnet.demo"
    compileSdk = 35

    defaultConfig {
        applicationId = "org.kerasmccnet.demo"
        // 26: RGBA_F16 bitmaps (16-bit PNG input) and ColorSpace control when decoding.
        minSdk = 26
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
    }

    buildTypes {
        release {
            isMinifyEnabled = false
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    buildFeatures {
        compose = true
    }

    androidResources {
        // LiteRT maps the model straight from the APK; a compressed asset cannot be mapped.
        noCompress += "tflite"
    }
}

kotlin {
    compilerOptions {
        jvmTarget.set(JvmTarget.JVM_17)
    }
}

dependencies {
    implementation(project(":core"))

    // The 2.1 line ships the GPU accelerator inside litert; from 2.3.0 it is the separate litert-gpu
    // artifact, to add when the pin moves (typecheck/vendor/litert/UPSTREAM.md).
    implementation(libs.litert)
    implementation(libs.kotlinx.coroutines.android)

    implementation(libs.androidx.core.ktx)
    implementation(libs.androidx.activity.compose)
    implementation(libs.androidx.lifecycle.viewmodel.compose)
    implementation(libs.androidx.lifecycle.runtime.compose)
    implementation(platform(libs.androidx.compose.bom))
    implementation(libs.androidx.compose.ui)
    implementation(libs.androidx.compose.foundation)
    implementation(libs.androidx.compose.material3)
}

// Exported models come from the export stage (`mccnet export ...`), one .tflite plus its metadata
// .json each; they are copied into the assets at build time and never committed. The folder is the
// Gradle property mccnet.exportDir (gradle.properties; relative to android_demo/).
val modelExportDir: File = rootProject.file(
    providers.gradleProperty("mccnet.exportDir").getOrElse("../runs/export"),
)
val modelAssetsDir = layout.projectDirectory.dir("src/main/assets/models")

val copyModelAssets by tasks.registering(Sync::class) {
    group = "mccnet"
    description = "Copies exported .tflite models and their metadata .json into src/main/assets/models."
    from(modelExportDir) {
        // Top-level .tflite files and the metadata .json beside each (ONNX exports and reports
        // in the same folder stay out of the APK).
        include { element ->
            !element.isDirectory && (
                element.name.endsWith(".tflite") ||
                    element.name.endsWith(".json") &&
                    File(modelExportDir, element.name.removeSuffix(".json") + ".tflite").isFile
                )
        }
    }
    into(modelAssetsDir)
    doFirst {
        if (!modelExportDir.isDirectory) {
            logger.warn("mccnet: no export folder at $modelExportDir; the app will run without a model.")
        }
    }
}

tasks.named("preBuild") {
    dependsOn(copyModelAssets)
}
